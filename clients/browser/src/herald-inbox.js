/**
 * `<herald-inbox>`: a drop-in notification inbox for any page, built on the `Herald` SDK. A bell
 * with the unread badge (or, with `badge="unseen"`, the count of items not seen yet), a dropdown
 * feed (newest first, "Mark all read", "Load older", an archive button per item and an "Archived"
 * view; opening it marks everything seen), toasts for new notifications and the connection's state,
 * in a shadow DOM with no dependencies:
 *
 *   <script type="module" src="/sdk/herald-inbox.js"></script>
 *   <herald-inbox store-url="https://store.example" gateway-url="https://push.example"
 *                 token-url="/herald/token"></herald-inbox>
 *
 * Attributes, properties, events, CSS custom properties and parts: see INBOX.md. Every text shown
 * comes from data and is set as text (never parsed as HTML).
 */

import { Herald } from './herald.js';

/**
 * @typedef {object} InboxItem an item of the inbox, as `Herald#items` holds it
 * @property {string} eventId
 * @property {string|null} [cursor]
 * @property {string|null} [channel] the inbox channel of a channel's message, else null
 * @property {string} [type]
 * @property {string} [title]
 * @property {string} [body]
 * @property {object} [data]
 * @property {string} [occurredAt]
 * @property {string} [acceptedAt]
 * @property {Array<{ id: string, label: string, url?: string, action?: string }>|null} [actions] up to two buttons
 * @property {string|null} [expiresAt] when it leaves the inbox
 * @property {boolean} read
 * @property {boolean} [seen]
 */

/** The attributes whose change makes the element start over with a new Herald of its own. */
const CONNECTION_ATTRIBUTES = ['store-url', 'gateway-url', 'token', 'token-url', 'token-method', 'page-size'];

const DEFAULT_TOAST_MS = 6000;
const DEFAULT_MAX_TOASTS = 3;

const STYLE = `
:host {
  --_accent: var(--herald-accent, #4f46e5);
  --_bg: var(--herald-bg, #ffffff);
  --_fg: var(--herald-fg, #111827);
  --_muted: var(--herald-muted, #6b7280);
  --_border: var(--herald-border, #e5e7eb);
  --_radius: var(--herald-radius, 0.5rem);
  position: relative;
  display: inline-block;
  font-family: var(--herald-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: var(--herald-font-size, 0.9rem);
  line-height: 1.35;
  color: var(--_fg);
}
[hidden] { display: none !important; }
button { font: inherit; color: inherit; }
.bell {
  position: relative; display: inline-grid; place-items: center;
  width: var(--herald-bell-size, 2.5rem); height: var(--herald-bell-size, 2.5rem);
  padding: 0; border: 0; border-radius: 50%; background: transparent; cursor: pointer;
  color: var(--herald-bell-color, currentColor);
}
.bell:hover { background: color-mix(in srgb, var(--_accent) 12%, transparent); }
.bell:focus-visible, .panel button:focus-visible, .toast:focus-visible {
  outline: 2px solid var(--_accent); outline-offset: 2px;
}
.bell svg { width: 60%; height: 60%; }
.badge {
  position: absolute; top: 0; right: 0; min-width: 1.2em; height: 1.2em; padding: 0 0.3em;
  box-sizing: border-box; border-radius: 0.6em; font-size: 0.72rem; font-weight: 700; line-height: 1.2em;
  text-align: center; background: var(--herald-badge-bg, #dc2626); color: var(--herald-badge-color, #ffffff);
}
.panel {
  position: absolute; top: calc(100% + 0.4rem); right: 0; z-index: var(--herald-z-index, 1000);
  width: var(--herald-panel-width, 22rem); max-width: calc(100vw - 1rem);
  display: flex; flex-direction: column; max-height: var(--herald-panel-max-height, 28rem);
  background: var(--_bg); color: var(--_fg); border: 1px solid var(--_border); border-radius: var(--_radius);
  box-shadow: var(--herald-shadow, 0 10px 30px rgba(0, 0, 0, 0.15));
}
.header {
  display: flex; align-items: center; gap: 0.5rem; padding: 0.6rem 0.75rem; border-bottom: 1px solid var(--_border);
}
.title { font-weight: 600; flex: 1; }
.state { font-size: 0.75rem; color: var(--_muted); display: inline-flex; align-items: center; gap: 0.3em; }
.state::before { content: ""; width: 0.5em; height: 0.5em; border-radius: 50%; background: #9ca3af; }
.state[data-state="open"]::before { background: var(--herald-state-open, #16a34a); }
.state[data-state="connecting"]::before, .state[data-state="reconnecting"]::before { background: #f59e0b; }
.state[data-state="error"]::before { background: #dc2626; }
.link {
  border: 0; background: none; padding: 0.1rem 0.2rem; cursor: pointer; color: var(--_accent); font-size: 0.8rem;
}
.link:disabled { color: var(--_muted); cursor: default; }
.feed { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
.item + .item { border-top: 1px solid var(--_border); }
.item { position: relative; }
.item-archive {
  position: absolute; top: 0.45rem; right: 0.5rem; border: 0; background: none; padding: 0.1rem 0.3rem;
  cursor: pointer; color: var(--_muted); font-size: 0.75rem; border-radius: var(--_radius);
}
.item-archive:hover, .item-archive:focus-visible { color: var(--_accent); }
.item .item-button { padding-right: 5rem; }
.item-button {
  display: grid; grid-template-columns: 0.6rem 1fr; column-gap: 0.5rem; width: 100%; padding: 0.6rem 0.75rem;
  border: 0; background: transparent; text-align: left; cursor: pointer;
}
.item.unread .item-button { background: var(--herald-unread-bg, color-mix(in srgb, var(--_accent) 7%, transparent)); }
.item-button:hover { background: color-mix(in srgb, var(--_accent) 12%, transparent); }
.dot { grid-row: 1 / span 3; width: 0.5rem; height: 0.5rem; margin-top: 0.35rem; border-radius: 50%; }
.item.unread .dot { background: var(--_accent); }
.item-title { font-weight: 600; overflow-wrap: anywhere; }
.item.read .item-title { font-weight: 400; }
.item-body { color: var(--_fg); opacity: 0.85; overflow-wrap: anywhere; }
.item-meta { color: var(--_muted); font-size: 0.75rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0 0.75rem 0.6rem 1.85rem; }
.item.unread .actions { background: var(--herald-unread-bg, color-mix(in srgb, var(--_accent) 7%, transparent)); }
.action {
  display: inline-block; padding: 0.2rem 0.6rem; border: 1px solid var(--_accent); border-radius: var(--_radius);
  background: transparent; color: var(--_accent); font-size: 0.8rem; text-decoration: none; cursor: pointer;
}
.action:hover { background: color-mix(in srgb, var(--_accent) 12%, transparent); }
.action:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.empty, .error { margin: 0; padding: 1rem 0.75rem; color: var(--_muted); text-align: center; }
.error { color: #b91c1c; padding: 0.5rem 0.75rem; }
.footer { border-top: 1px solid var(--_border); text-align: center; padding: 0.4rem; }
.toasts {
  position: fixed; right: 1rem; bottom: 1rem; z-index: var(--herald-z-index, 1000);
  display: flex; flex-direction: column; gap: 0.5rem; align-items: flex-end; pointer-events: none;
}
.toast {
  pointer-events: auto; width: var(--herald-toast-width, 20rem); max-width: calc(100vw - 2rem);
  padding: 0.6rem 0.8rem; border: 0; border-left: 4px solid var(--_accent); border-radius: var(--_radius);
  background: var(--herald-toast-bg, #111827); color: var(--herald-toast-color, #f9fafb);
  box-shadow: var(--herald-shadow, 0 10px 30px rgba(0, 0, 0, 0.15)); text-align: left; cursor: pointer;
  animation: herald-in 160ms ease-out;
}
.toast-type { font-size: 0.7rem; opacity: 0.7; text-transform: uppercase; letter-spacing: 0.04em; }
.toast-title { font-weight: 600; overflow-wrap: anywhere; }
@keyframes herald-in { from { transform: translateY(0.5rem); opacity: 0; } }
@media (prefers-reduced-motion: reduce) { .toast { animation: none; } }
`;

const BELL_ICON = 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z';

/**
 * Creates an element with a class and `part`, and optionally its text (set as text, never HTML).
 *
 * @param {string} tag
 * @param {string} className
 * @param {string|null} [text]
 * @returns {HTMLElement}
 */
function element(tag, className, text = null) {
  const created = document.createElement(tag);
  created.className = className;
  created.setAttribute('part', className);
  if (text !== null) {
    created.textContent = text;
  }
  return created;
}

/**
 * How long ago `iso` was, in words ("just now", "5 min ago", "3 h ago", "2 d ago", else the date).
 *
 * @param {string|undefined|null} iso
 * @param {number} [now]
 * @returns {string}
 */
export function timeAgo(iso, now = Date.now()) {
  const at = Date.parse(iso ?? '');
  if (Number.isNaN(at)) {
    return '';
  }
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 45) {
    return 'just now';
  }
  if (seconds < 3600) {
    return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  }
  if (seconds < 86_400) {
    return `${Math.round(seconds / 3600)} h ago`;
  }
  if (seconds < 7 * 86_400) {
    return `${Math.round(seconds / 86_400)} d ago`;
  }
  return new Date(at).toLocaleDateString();
}

/**
 * The badge's text for `count`: nothing at 0, "99+" above 99.
 *
 * @param {number} count
 * @returns {string}
 */
export function badgeText(count) {
  return count > 99 ? '99+' : count > 0 ? String(count) : '';
}

/**
 * A `getToken` that asks `url` (same-origin cookies sent) and reads `{ token }` from the answer.
 *
 * @param {string} url
 * @param {string} [method] 'GET' (default) or 'POST'
 * @returns {() => Promise<string>}
 */
export function tokenFrom(url, method = 'GET') {
  return async () => {
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) {
      throw new Error(`${method} ${url}: HTTP ${response.status}`);
    }
    const body = await response.json();
    if (!body || typeof body.token !== 'string' || !body.token) {
      throw new Error(`${method} ${url} gave no token`);
    }
    return body.token;
  };
}

/** Outside a browser (server-side rendering, Node) the module loads, and defines nothing. */
const ElementBase = /** @type {typeof HTMLElement} */ (typeof HTMLElement === 'undefined' ? class {} : HTMLElement);

/** The element; registered as `herald-inbox` (once) when this module loads in a browser. */
export class HeraldInboxElement extends ElementBase {
  /** @returns {string[]} */
  static get observedAttributes() {
    return [...CONNECTION_ATTRIBUTES, 'label', 'badge'];
  }

  constructor() {
    super();
    /** @type {Herald|null} the instance in use */
    this.current = null;
    /** @type {Herald|null} an instance the page gave (`herald` property): never stopped here */
    this.given = null;
    /** Whether the element made `current` (and so stops it). */
    this.ownsCurrent = false;
    /** @type {(() => Promise<string>)|null} */
    this.tokenFunction = null;
    /** @type {Array<() => void>} */
    this.unlisten = [];
    /** @type {Set<ReturnType<typeof setTimeout>>} */
    this.toastTimers = new Set();
    this.clockTimer = null;
    this.restartQueued = false;
    /** The counts of the Herald in use: the badge shows one of them (the `badge` attribute). */
    this.counts = { unread: 0, unseen: 0 };
    /** 'inbox', or 'archived' while the feed shows the archive (`archivedItems`, read from the store). */
    this.view = 'inbox';
    /** @type {InboxItem[]} */
    this.archivedItems = [];
    this.onDocumentClick = this.onDocumentClick.bind(this);
    const root = this.attachShadow({ mode: 'open' });
    this.build(root);
    /**
     * Reports the items the open panel actually shows (half of an item in the feed's view) as
     * displayed: `Herald#markShown`, so the backend's "unseen" alert does not fire for them.
     * @type {IntersectionObserver|null}
     */
    this.shownObserver = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(entries => this.onItemsVisible(entries), { root: this.feed, threshold: 0.5 })
      : null;
  }

  // --- properties ---

  /**
   * The Herald in use. Set it to have the element show an instance of your own (e.g. one that also
   * serves channel subscriptions): the element starts it if it is not running and never stops it.
   *
   * @returns {Herald|null}
   */
  get herald() {
    return this.current;
  }

  /** @param {Herald|null} herald */
  set herald(herald) {
    this.given = herald || null;
    this.queueRestart();
  }

  /**
   * The function that gives the element's own Herald a fresh user token (instead of `token-url`).
   *
   * @returns {(() => Promise<string>)|null}
   */
  get getToken() {
    return this.tokenFunction;
  }

  /** @param {(() => Promise<string>)|null} getToken */
  set getToken(getToken) {
    this.tokenFunction = typeof getToken === 'function' ? getToken : null;
    this.queueRestart();
  }

  /** @returns {boolean} whether the feed is open */
  get expanded() {
    return !this.panel.hidden;
  }

  /** Opens the feed. */
  show() {
    this.setExpanded(true);
  }

  /** Closes the feed. */
  hide() {
    this.setExpanded(false);
  }

  /** Opens or closes the feed. */
  toggle() {
    this.setExpanded(!this.expanded);
  }

  // --- lifecycle ---

  connectedCallback() {
    // Properties set before the element was defined sit on the instance: route them through the setters.
    for (const name of ['herald', 'getToken']) {
      if (Object.hasOwn(this, name)) {
        const value = /** @type {any} */ (this)[name];
        delete /** @type {any} */ (this)[name];
        /** @type {any} */ (this)[name] = value;
      }
    }
    this.applyLabel();
    document.addEventListener('click', this.onDocumentClick, true);
    this.queueRestart();
  }

  disconnectedCallback() {
    document.removeEventListener('click', this.onDocumentClick, true);
    // Moved within the page (disconnected and connected again at once): keep the session.
    queueMicrotask(() => {
      if (!this.isConnected) {
        this.teardown();
      }
    });
  }

  /**
   * @param {string} name
   * @param {string|null} before
   * @param {string|null} after
   */
  attributeChangedCallback(name, before, after) {
    if (before === after) {
      return;
    }
    if (name === 'label') {
      this.applyLabel();
    }
    else if (name === 'badge') {
      this.renderBadge();
    }
    else if (!this.given) {
      this.queueRestart();
    }
  }

  /** One restart for a burst of attribute and property changes (e.g. all set right after creation). */
  queueRestart() {
    if (this.restartQueued) {
      return;
    }
    this.restartQueued = true;
    queueMicrotask(() => {
      this.restartQueued = false;
      if (this.isConnected) {
        this.restart();
      }
    });
  }

  restart() {
    this.teardown();
    let herald = this.given;
    if (!herald) {
      const options = this.options();
      if (!options) {
        this.renderState('closed', new Error('set store-url, gateway-url and token, token-url or getToken'));
        return;
      }
      herald = new Herald(options);
    }
    this.current = herald;
    this.ownsCurrent = herald !== this.given;
    const on = (/** @type {string} */ event, /** @type {(value: any) => void} */ callback) => {
      this.unlisten.push(herald.on(event, callback));
    };
    on('state', ({ state, error }) => {
      this.renderState(state, error);
      this.fire('herald-state', { state, error: error ?? null });
    });
    on('unread', count => {
      this.counts.unread = count;
      this.renderBadge();
      this.fire('herald-unread', { count });
    });
    on('unseen', count => {
      this.counts.unseen = count;
      this.renderBadge();
      this.fire('herald-unseen', { count });
    });
    on('items', items => {
      this.renderFeed(items);
      this.fire('herald-items', { items });
    });
    on('notification', item => {
      this.showToast(item);
      this.fire('herald-notification', { item });
    });
    on('read', change => {
      this.dropToasts(change);
      this.fire('herald-read', change);
    });
    this.renderState(herald.state, herald.error);
    this.counts = { unread: herald.unreadCount, unseen: herald.unseenCount ?? 0 };
    this.view = 'inbox';
    this.archivedToggle.textContent = 'Archived';
    this.archivedToggle.setAttribute('aria-pressed', 'false');
    this.markAll.hidden = false;
    this.renderBadge();
    this.renderFeed(herald.items);
    // Listeners of herald-init may still subscribe to channels before the session starts.
    this.fire('herald-init', { herald });
    herald.start().catch(error => {
      if (this.current === herald && error?.message !== 'stopped') {
        this.renderError(error);
      }
    });
  }

  /** Stops listening to the Herald in use, and stops it if the element made it. */
  teardown() {
    this.shownObserver?.disconnect();
    for (const stop of this.unlisten.splice(0)) {
      stop();
    }
    if (this.current && this.ownsCurrent) {
      this.current.stop();
    }
    this.current = null;
    this.ownsCurrent = false;
    for (const timer of this.toastTimers) {
      clearTimeout(timer);
    }
    this.toastTimers.clear();
    this.toasts.replaceChildren();
    this.stopClock();
  }

  /**
   * The options of the element's own Herald, from its attributes; null when some are missing.
   *
   * @returns {{ storeUrl: string, gatewayUrl: string, token?: string, getToken?: () => Promise<string>, pageSize?: number }|null}
   */
  options() {
    const storeUrl = this.getAttribute('store-url');
    const gatewayUrl = this.getAttribute('gateway-url');
    const token = this.getAttribute('token');
    const tokenUrl = this.getAttribute('token-url');
    const getToken = this.tokenFunction
        ?? (tokenUrl ? tokenFrom(new URL(tokenUrl, document.baseURI).href, (this.getAttribute('token-method') || 'GET').toUpperCase()) : null);
    if (!storeUrl || !gatewayUrl || (!token && !getToken)) {
      return null;
    }
    /** @type {{ storeUrl: string, gatewayUrl: string, token?: string, getToken?: () => Promise<string>, pageSize?: number }} */
    const options = { storeUrl, gatewayUrl };
    if (token) {
      options.token = token;
    }
    if (getToken) {
      options.getToken = getToken;
    }
    const pageSize = this.number('page-size', 0);
    if (pageSize >= 1 && pageSize <= 200) {
      options.pageSize = pageSize;
    }
    return options;
  }

  /**
   * @param {string} name
   * @param {number} fallback
   * @returns {number}
   */
  number(name, fallback) {
    const value = Number.parseInt(this.getAttribute(name) ?? '', 10);
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  }

  /**
   * Dispatches a `CustomEvent` that bubbles out of the shadow DOM.
   *
   * @param {string} type
   * @param {object} detail
   */
  fire(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // --- the shadow DOM ---

  /** @param {ShadowRoot} root */
  build(root) {
    const style = document.createElement('style');
    style.textContent = STYLE;

    this.bell = element('button', 'bell');
    this.bell.type = 'button';
    this.bell.setAttribute('aria-haspopup', 'true');
    this.bell.setAttribute('aria-expanded', 'false');
    this.bell.setAttribute('aria-controls', 'panel');
    const svgNs = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', BELL_ICON);
    svg.append(path);
    this.badge = element('span', 'badge');
    this.badge.hidden = true;
    this.badge.dataset.count = '0';
    this.badge.setAttribute('aria-hidden', 'true');
    this.bell.append(svg, this.badge);
    this.bell.addEventListener('click', () => this.toggle());

    this.panel = element('div', 'panel');
    this.panel.id = 'panel';
    this.panel.hidden = true;
    this.panel.setAttribute('role', 'dialog');
    this.panel.tabIndex = -1;
    const header = element('div', 'header');
    this.heading = element('span', 'title');
    this.heading.id = 'heading';
    this.panel.setAttribute('aria-labelledby', 'heading');
    this.stateLine = element('span', 'state', 'closed');
    this.stateLine.dataset.state = 'closed';
    this.stateLine.setAttribute('role', 'status');
    this.markAll = element('button', 'mark-all', 'Mark all read');
    this.markAll.classList.add('link');
    this.markAll.type = 'button';
    this.markAll.disabled = true;
    this.markAll.addEventListener('click', () => this.markAllRead());
    this.archivedToggle = element('button', 'show-archived', 'Archived');
    this.archivedToggle.classList.add('link');
    this.archivedToggle.type = 'button';
    this.archivedToggle.setAttribute('aria-pressed', 'false');
    this.archivedToggle.addEventListener('click', () => this.showArchived(this.view !== 'archived'));
    header.append(this.heading, this.stateLine, this.markAll, this.archivedToggle);
    this.feed = element('ul', 'feed');
    this.feed.addEventListener('click', event => this.onFeedClick(event));
    this.empty = element('p', 'empty', 'No notifications yet.');
    this.errorLine = element('p', 'error');
    this.errorLine.setAttribute('role', 'alert');
    this.errorLine.hidden = true;
    const footer = element('div', 'footer');
    this.older = element('button', 'load-older', 'Load older');
    this.older.classList.add('link');
    this.older.type = 'button';
    this.older.addEventListener('click', () => this.loadOlder());
    footer.append(this.older);
    this.footer = footer;
    footer.hidden = true;
    this.panel.append(header, this.feed, this.empty, this.errorLine, footer);
    this.panel.addEventListener('keydown', event => this.onPanelKey(event));
    this.bell.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.expanded) {
        event.preventDefault();
        this.hide();
      }
    });

    this.toasts = element('div', 'toasts');
    this.toasts.setAttribute('aria-live', 'polite');

    const wrapper = element('div', 'root');
    wrapper.append(this.bell, this.panel, this.toasts);
    root.append(style, wrapper);
  }

  applyLabel() {
    const label = this.getAttribute('label') || 'Notifications';
    this.heading.textContent = label;
    this.bell.title = label;
    this.renderBadge();
  }

  /** @param {boolean} open */
  setExpanded(open) {
    if (open === this.expanded) {
      return;
    }
    this.panel.hidden = !open;
    this.bell.setAttribute('aria-expanded', String(open));
    if (open) {
      this.renderFeed(this.current?.items ?? []);
      this.startClock();
      // The feed was opened: everything in it is seen (the unseen badge clears, in every tab).
      if (this.current && this.current.unseenCount > 0) {
        this.current.markAllSeen().catch(error => this.renderError(error));
      }
      const first = /** @type {HTMLElement|null} */ (this.feed.querySelector('.item-button'));
      (first ?? this.panel).focus();
    }
    else {
      this.stopClock();
      this.shownObserver?.disconnect();
      if (this.shadowRoot?.activeElement && this.panel.contains(this.shadowRoot.activeElement)) {
        this.bell.focus();
      }
    }
    this.fire('herald-toggle', { open });
  }

  /** @param {MouseEvent} event */
  onDocumentClick(event) {
    if (this.expanded && !event.composedPath().includes(this)) {
      this.hide();
    }
  }

  /** @param {KeyboardEvent} event */
  onPanelKey(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.hide();
      this.bell.focus();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      return;
    }
    const buttons = /** @type {HTMLElement[]} */ ([...this.feed.querySelectorAll('.item-button')]);
    if (!buttons.length) {
      return;
    }
    event.preventDefault();
    const at = buttons.indexOf(/** @type {HTMLElement} */ (this.shadowRoot?.activeElement));
    const next = event.key === 'ArrowDown' ? Math.min(buttons.length - 1, at + 1) : Math.max(0, at - 1);
    buttons[next].focus();
  }

  startClock() {
    this.stopClock();
    this.clockTimer = setInterval(() => this.renderFeed(this.current?.items ?? []), 30_000);
  }

  stopClock() {
    if (this.clockTimer) {
      clearInterval(this.clockTimer);
      this.clockTimer = null;
    }
  }

  // --- rendering ---

  /**
   * @param {string} state
   * @param {Error|null|undefined} error
   */
  renderState(state, error) {
    this.stateLine.dataset.state = state;
    this.stateLine.textContent = state;
    this.stateLine.title = error?.message ?? '';
    this.dataset.state = state;
    if (state === 'open') {
      this.errorLine.hidden = true;
    }
    else if (state === 'error' && error) {
      this.renderError(error);
    }
  }

  /** @param {Error} error */
  renderError(error) {
    this.errorLine.textContent = error?.message ?? String(error);
    this.errorLine.hidden = false;
  }

  /** The badge: the unread count, or with `badge="unseen"` the items not seen yet. */
  renderBadge() {
    const unseen = this.getAttribute('badge') === 'unseen';
    const count = Math.max(0, Number(unseen ? this.counts.unseen : this.counts.unread) || 0);
    this.badge.dataset.count = String(count);
    this.badge.textContent = badgeText(count);
    this.badge.hidden = count === 0;
    const label = this.getAttribute('label') || 'Notifications';
    this.bell.setAttribute('aria-label', count ? `${label}, ${count} ${unseen ? 'new' : 'unread'}` : label);
    this.markAll.disabled = !(this.counts.unread > 0);
  }

  /**
   * Shows the archive (read from the store, newest page) in the feed, or the inbox again.
   *
   * @param {boolean} archived
   */
  async showArchived(archived) {
    this.view = archived ? 'archived' : 'inbox';
    this.archivedToggle.textContent = archived ? 'Inbox' : 'Archived';
    this.archivedToggle.setAttribute('aria-pressed', String(archived));
    this.markAll.hidden = archived;
    if (archived && this.current) {
      try {
        this.archivedItems = (await this.current.loadArchived()).items;
      }
      catch (error) {
        this.renderError(/** @type {Error} */ (error));
      }
    }
    this.renderFeed(this.current?.items ?? []);
  }

  /** @param {InboxItem[]} items */
  renderFeed(items) {
    const archived = this.view === 'archived';
    if (archived) {
      items = this.archivedItems;
    }
    this.empty.hidden = items.length > 0;
    this.empty.textContent = archived ? 'Nothing archived.' : 'No notifications yet.';
    this.footer.hidden = archived || !this.current?.hasOlder;
    const focused = /** @type {HTMLElement|null} */ (this.shadowRoot?.activeElement ?? null);
    const focusedKey = focused?.closest?.('.item')?.getAttribute('data-key') ?? null;
    const now = Date.now();
    this.feed.replaceChildren(...items.map(item => this.renderItem(item, now)));
    this.watchShown();
    if (focusedKey !== null) {
      const again = [...this.feed.querySelectorAll('.item')].find(li => li.getAttribute('data-key') === focusedKey);
      /** @type {HTMLElement|null} */ (again?.querySelector('.item-button') ?? null)?.focus();
    }
  }

  /** While the panel is open, the feed's items are watched for being in view (all of them, without an IntersectionObserver). */
  watchShown() {
    this.shownObserver?.disconnect();
    if (this.panel.hidden) {
      return;
    }
    const items = /** @type {HTMLElement[]} */ ([...this.feed.querySelectorAll('.item')]);
    if (this.shownObserver) {
      items.forEach(li => this.shownObserver?.observe(li));
    }
    else {
      this.reportShown(items);
    }
  }

  /** @param {IntersectionObserverEntry[]} entries */
  onItemsVisible(entries) {
    if (!this.panel.hidden) {
      this.reportShown(entries.filter(entry => entry.isIntersecting).map(entry => /** @type {HTMLElement} */ (entry.target)));
    }
  }

  /**
   * Receipts are for the user's own notifications: an inbox channel's message (unique only within
   * its channel) is not reported.
   * @param {HTMLElement[]} items
   */
  reportShown(items) {
    const ids = items.filter(li => !li.dataset.channel).map(li => li.dataset.eventId ?? '').filter(Boolean);
    if (ids.length > 0 && typeof this.current?.markShown === 'function') {
      this.current.markShown(ids);
    }
  }

  /**
   * @param {InboxItem} item
   * @param {number} now
   * @returns {HTMLLIElement}
   */
  renderItem(item, now) {
    const li = /** @type {HTMLLIElement} */ (element('li', 'item'));
    li.classList.add(item.read ? 'read' : 'unread');
    li.setAttribute('part', `item ${item.read ? 'item-read' : 'item-unread'}`);
    li.dataset.eventId = item.eventId;
    li.dataset.channel = item.channel ?? '';
    li.dataset.key = `${item.channel ?? ''}\n${item.eventId}`;
    const button = element('button', 'item-button');
    button.setAttribute('type', 'button');
    const dot = element('span', 'dot');
    dot.setAttribute('aria-hidden', 'true');
    const title = element('span', 'item-title', item.title || item.type || 'Notification');
    button.append(dot, title);
    if (item.body) {
      button.append(element('span', 'item-body', item.body));
    }
    const ago = timeAgo(item.occurredAt ?? item.acceptedAt, now);
    const meta = element('span', 'item-meta', [item.read ? '' : 'unread', ago].filter(Boolean).join(' · '));
    button.append(meta);
    if (item.occurredAt) {
      meta.title = item.occurredAt;
    }
    const archive = element('button', 'item-archive', this.view === 'archived' ? 'Unarchive' : 'Archive');
    archive.setAttribute('type', 'button');
    archive.setAttribute('aria-label', `${archive.textContent}: ${item.title || item.type || 'notification'}`);
    li.append(button);
    const actions = this.renderActions(item);
    if (actions) {
      li.append(actions);
    }
    li.append(archive);
    return li;
  }

  /**
   * The item's buttons, beside (not inside) its own button: a URL action is a link that opens in a
   * new tab without handing the page to it (`rel=noopener`); a named action is a button whose click
   * fires `herald-action`. Null when the item has none.
   *
   * @param {InboxItem} item
   * @returns {HTMLElement|null}
   */
  renderActions(item) {
    const actions = (Array.isArray(item.actions) ? item.actions : []).slice(0, 2)
      .filter(action => action && typeof action.id === 'string' && typeof action.label === 'string');
    if (!actions.length) {
      return null;
    }
    const row = element('div', 'actions');
    row.setAttribute('part', 'actions');
    for (const action of actions) {
      let control;
      if (typeof action.url === 'string') {
        if (!/^https?:\/\//i.test(action.url)) {
          continue; // the store accepts only http(s); anything else is not followed
        }
        control = element('a', 'action', action.label);
        control.setAttribute('href', action.url);
        control.setAttribute('target', '_blank');
        control.setAttribute('rel', 'noopener noreferrer');
      }
      else if (typeof action.action === 'string') {
        control = element('button', 'action', action.label);
        control.setAttribute('type', 'button');
      }
      else {
        continue;
      }
      control.setAttribute('part', 'action');
      control.dataset.actionId = action.id;
      row.append(control);
    }
    return row.children.length ? row : null;
  }

  /** @param {MouseEvent} event */
  onFeedClick(event) {
    const li = /** @type {HTMLElement|null} */ (/** @type {HTMLElement} */ (event.target).closest('.item'));
    if (!li || !this.current) {
      return;
    }
    const channel = li.dataset.channel || null;
    const eventId = li.dataset.eventId ?? '';
    if (/** @type {HTMLElement} */ (event.target).closest('.item-archive')) {
      this.toggleArchived(eventId, channel);
      return;
    }
    const items = this.view === 'archived' ? this.archivedItems : this.current.items;
    const item = items.find(held => held.eventId === eventId && (held.channel ?? null) === channel);
    if (!item) {
      return;
    }
    const control = /** @type {HTMLElement|null} */ (/** @type {HTMLElement} */ (event.target).closest('.action'));
    if (control) {
      // A link opens by itself; a named action is the page's to perform.
      if (control.tagName === 'BUTTON') {
        this.perform(item, control.dataset.actionId ?? '');
      }
      return;
    }
    this.select(item);
  }

  /**
   * Fires `herald-action` with the item and the action (also to the Herald's 'action' listeners).
   *
   * @param {InboxItem} item
   * @param {string} actionId
   */
  perform(item, actionId) {
    const action = this.current?.act(item, actionId);
    if (action && typeof action.action === 'string') {
      this.fire('herald-action', { item: { ...item }, actionId, action: { ...action } });
    }
  }

  /**
   * Archives the item (in the inbox view) or takes it out of the archive (in the archived view).
   *
   * @param {string} eventId
   * @param {string|null} channel
   */
  async toggleArchived(eventId, channel) {
    const herald = this.current;
    if (!herald) {
      return;
    }
    try {
      if (this.view === 'archived') {
        this.archivedItems = this.archivedItems.filter(held => !(held.eventId === eventId && (held.channel ?? null) === channel));
        this.renderFeed([]);
        await herald.unarchive(eventId, channel);
      }
      else {
        await herald.archive(eventId, channel);
      }
      this.fire(this.view === 'archived' ? 'herald-unarchive' : 'herald-archive', { eventId, channel });
    }
    catch (error) {
      this.renderError(/** @type {Error} */ (error));
    }
  }

  /**
   * Marks `item` read (if it is not) and says it was chosen (`herald-select`).
   *
   * @param {InboxItem} item
   */
  select(item) {
    if (!item.read && this.current) {
      this.current.markRead(item.eventId, item.channel ?? null).catch(error => this.renderError(error));
    }
    this.fire('herald-select', { item: { ...item, read: true } });
  }

  markAllRead() {
    this.current?.markAllRead().catch(error => this.renderError(error));
  }

  async loadOlder() {
    const herald = this.current;
    if (!herald || this.older.disabled) {
      return;
    }
    this.older.disabled = true;
    this.older.textContent = 'Loading…';
    try {
      await herald.loadOlder();
    }
    catch (error) {
      this.renderError(/** @type {Error} */ (error));
    }
    finally {
      this.older.disabled = false;
      this.older.textContent = 'Load older';
      this.footer.hidden = !this.current?.hasOlder;
    }
  }

  // --- toasts ---

  /** @param {InboxItem} item */
  showToast(item) {
    if ((this.getAttribute('toasts') || '').toLowerCase() === 'off' || item.read) {
      return;
    }
    const max = this.number('max-toasts', DEFAULT_MAX_TOASTS);
    if (max === 0) {
      return;
    }
    const toast = element('button', 'toast');
    toast.setAttribute('type', 'button');
    toast.dataset.eventId = item.eventId;
    toast.dataset.channel = item.channel ?? '';
    toast.dataset.shownAt = String(Date.now());
    toast.append(element('div', 'toast-type', item.type || 'notification'),
      element('div', 'toast-title', item.title || ''));
    toast.addEventListener('click', () => {
      toast.remove();
      this.select(item);
    });
    this.toasts.append(toast);
    while (this.toasts.children.length > max) {
      this.toasts.firstElementChild?.remove();
    }
    const timer = setTimeout(() => {
      this.toastTimers.delete(timer);
      toast.remove();
    }, this.number('toast-ms', DEFAULT_TOAST_MS));
    this.toastTimers.add(timer);
  }

  /**
   * A toast of something read (here or in another tab) has nothing left to say.
   *
   * @param {{ eventIds: string[], all: boolean, channel?: string|null }} change
   */
  dropToasts({ eventIds, all, channel = null }) {
    for (const toast of /** @type {HTMLElement[]} */ ([...this.toasts.children])) {
      if (all || (eventIds.includes(toast.dataset.eventId ?? '') && (toast.dataset.channel || null) === (channel ?? null))) {
        toast.remove();
      }
    }
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('herald-inbox')) {
  customElements.define('herald-inbox', HeraldInboxElement);
}
