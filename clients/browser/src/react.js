/**
 * `useHerald(options)`: the user's inbox as React state. React is an optional peer dependency:
 * only React apps import this module.
 *
 *   import { useHerald } from '@herald/browser/react';   // or './react.js' next to herald.js
 *
 *   function Bell() {
 *     const { items, unreadCount, state, markRead, markAllRead, loadOlder, hasOlder } = useHerald({
 *       storeUrl, gatewayUrl, getToken: async () => (await (await fetch('/herald/token')).json()).token,
 *     });
 *     ...
 *   }
 *
 * The hook starts a Herald on mount and stops it on unmount. Changing `storeUrl`, `gatewayUrl`,
 * `pageSize`, `maxItems` or the `herald` option starts over with a new one; a new `token` is handed
 * to the running one (used from its next request and connection, and it starts again if it had
 * stopped on a refused token); `getToken` may be a new function on every render (the latest is called).
 */

import { useEffect, useRef, useState } from 'react';

import { Herald } from './herald.js';

/**
 * @typedef {object} UseHeraldOptions
 * @property {string} [storeUrl] notification-store's URL (needed unless `herald` is given)
 * @property {string} [gatewayUrl] any push gateway's URL (needed unless `herald` is given)
 * @property {string|null} [token] a user token
 * @property {(() => Promise<string>)|null} [getToken] gives a fresh user token
 * @property {number} [pageSize] items per inbox page (50)
 * @property {number} [maxItems] items kept, not counting older pages asked for (200)
 * @property {Herald|null} [herald] an instance of your own to follow instead (started if it is not
 *   running, never stopped by the hook)
 * (Any other option of `Herald`, e.g. `backoffBaseMs`, is passed on as it is when the hook starts one.)
 */

/**
 * @typedef {object} UseHeraldResult
 * @property {Array<object>} items the items, newest first (each with `read`)
 * @property {number} unreadCount
 * @property {number} unseenCount items not seen yet (archived ones left out)
 * @property {string} state connecting | open | reconnecting | closed | error
 * @property {Error|null} error the last error (a failed start, mark read or load older)
 * @property {(eventId: string, channel?: string|null) => Promise<unknown>} markRead
 * @property {() => Promise<unknown>} markAllRead
 * @property {(eventIds: string|string[], channel?: string|null) => Promise<unknown>} markSeen
 * @property {() => Promise<unknown>} markAllSeen
 * @property {(eventId: string, channel?: string|null) => Promise<unknown>} archive
 * @property {(eventId: string, channel?: string|null) => Promise<unknown>} unarchive
 * @property {() => Promise<unknown>} archiveAllRead
 * @property {() => Promise<Array<object>>} loadOlder resolves to the items added
 * @property {boolean} hasOlder whether older items can be loaded
 * @property {Herald|null} herald the instance in use (null before the first effect ran)
 */

/**
 * @typedef {object} Snapshot
 * @property {Array<object>} items
 * @property {number} unreadCount
 * @property {number} unseenCount
 * @property {string} state
 * @property {Error|null} error
 * @property {boolean} hasOlder
 * @property {Herald|null} herald
 */

/** @type {Snapshot} */
const EMPTY = Object.freeze({ items: [], unreadCount: 0, unseenCount: 0, state: 'closed', error: null, hasOlder: false,
  herald: null });

/**
 * @param {Herald} herald
 * @param {Error|null} error
 * @returns {Snapshot}
 */
function snapshotOf(herald, error) {
  return {
    items: herald.items,
    unreadCount: herald.unreadCount,
    unseenCount: herald.unseenCount,
    state: herald.state,
    error,
    hasOlder: herald.hasOlder,
    herald,
  };
}

/**
 * The user's inbox as React state, live.
 *
 * @param {UseHeraldOptions} options
 * @returns {UseHeraldResult}
 */
export function useHerald(options) {
  const { storeUrl, gatewayUrl, token = null, getToken = null, pageSize, maxItems, herald: given = null } = options;
  /** @type {{ current: UseHeraldOptions }} */
  const latestOptions = useRef(options);
  latestOptions.current = options;
  const [snapshot, setSnapshot] = useState(EMPTY);
  /** @type {{ current: Herald|null }} */
  const current = useRef(null);
  /** @type {{ current: (() => Promise<string>)|null }} */
  const latestGetToken = useRef(getToken);
  latestGetToken.current = getToken;
  /** @type {{ current: string|null }} */
  const latestToken = useRef(token);
  latestToken.current = token;
  const hasGetToken = typeof getToken === 'function';

  useEffect(() => {
    // The other options of Herald (backoffBaseMs, ...) are read as they are when it starts.
    const { herald: _given, token: _token, getToken: _getToken, ...rest } = latestOptions.current;
    const herald = given ?? new Herald({
      ...rest,
      token: latestToken.current || undefined,
      getToken: hasGetToken ? () => /** @type {() => Promise<string>} */ (latestGetToken.current)() : undefined,
    });
    current.current = herald;
    /** @type {Error|null} */
    let error = null;
    const update = () => setSnapshot(snapshotOf(herald, error));
    const stops = ['items', 'unread', 'read', 'unseen'].map(event => herald.on(event, update));
    stops.push(herald.on('state', (/** @type {{ state: string, error?: Error|null }} */ change) => {
      error = change.error ?? (change.state === 'open' ? null : error);
      update();
    }));
    update();
    herald.start().catch(failure => {
      if (current.current === herald && failure?.message !== 'stopped') {
        error = failure;
        update();
      }
    });
    return () => {
      stops.forEach(stop => stop());
      if (current.current === herald) {
        current.current = null;
      }
      if (!given) {
        herald.stop();
      }
    };
  }, [given, storeUrl, gatewayUrl, pageSize, maxItems, hasGetToken]);

  // A new token goes to the running instance; one that stopped on a refused token starts again.
  useEffect(() => {
    const herald = current.current;
    if (!herald || given || !token || herald.token === token) {
      return;
    }
    herald.token = token;
    if (herald.state === 'error') {
      herald.start().catch(() => {});
    }
  }, [token, given]);

  /** @type {{ current: Pick<UseHeraldResult, 'markRead'|'markAllRead'|'markSeen'|'markAllSeen'|'archive'|'unarchive'|'archiveAllRead'|'loadOlder'>|null }} */
  const actions = useRef(null);
  if (!actions.current) {
    /**
     * Runs `work` on the instance in use; a failure is kept as `error` and rejects.
     *
     * @template T
     * @param {(herald: Herald) => Promise<T>} work
     * @returns {Promise<T>}
     */
    const withHerald = work => {
      const herald = current.current;
      if (!herald) {
        return Promise.reject(new Error('useHerald: not started (the component is not mounted)'));
      }
      return work(herald).catch(failure => {
        if (current.current === herald) {
          setSnapshot(snapshotOf(herald, failure));
        }
        throw failure;
      });
    };
    actions.current = {
      markRead: (eventId, channel = null) => withHerald(herald => herald.markRead(eventId, channel)),
      markAllRead: () => withHerald(herald => herald.markAllRead()),
      markSeen: (eventIds, channel = null) => withHerald(herald => herald.markSeen(eventIds, channel)),
      markAllSeen: () => withHerald(herald => herald.markAllSeen()),
      archive: (eventId, channel = null) => withHerald(herald => herald.archive(eventId, channel)),
      unarchive: (eventId, channel = null) => withHerald(herald => herald.unarchive(eventId, channel)),
      archiveAllRead: () => withHerald(herald => herald.archiveAllRead()),
      loadOlder: () => withHerald(async herald => {
        const added = await herald.loadOlder();
        if (current.current === herald) {
          setSnapshot(state => ({ ...state, hasOlder: herald.hasOlder }));
        }
        return added;
      }),
    };
  }

  return {
    items: snapshot.items,
    unreadCount: snapshot.unreadCount,
    unseenCount: snapshot.unseenCount,
    state: snapshot.state,
    error: snapshot.error,
    hasOlder: snapshot.hasOlder,
    herald: snapshot.herald,
    ...actions.current,
  };
}
