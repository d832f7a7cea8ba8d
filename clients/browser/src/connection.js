/**
 * The socket's lifecycle: route, open, authenticate, follow moves, renew the token, reconnect with
 * back-off. What the frames mean for the inbox and the cursor is the caller's (`Herald`); this
 * module only decides when to (re)connect and which state the session is in.
 */

import { SDK_AGENT } from './version.js';

/** WebSocket close codes of the push gateway. */
export const CloseCodes = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TRY_AGAIN_LATER: 1013,
  MOVED: 4001,
  UNAUTHORIZED: 4003,
  TOO_SLOW: 4008,
  TOO_MANY_CONNECTIONS: 4029,
});

export const States = Object.freeze({
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
  ERROR: 'error',
});

/**
 * Every move the session may make: `Transitions[state][event]` is the next state, and an event a
 * state does not list is refused. The events: `start` (start() called), `welcome` (the gateway
 * accepted the socket), `lose` (the socket, the route or the store is lost for now: try again),
 * `fail` (a fatal error), `stop` (stop() called).
 */
export const Transitions = Object.freeze({
  [States.CLOSED]: Object.freeze({ start: States.CONNECTING, stop: States.CLOSED }),
  [States.CONNECTING]: Object.freeze({
    welcome: States.OPEN, lose: States.RECONNECTING, fail: States.ERROR, stop: States.CLOSED,
  }),
  [States.OPEN]: Object.freeze({ lose: States.RECONNECTING, fail: States.ERROR, stop: States.CLOSED }),
  [States.RECONNECTING]: Object.freeze({
    welcome: States.OPEN, lose: States.RECONNECTING, fail: States.ERROR, stop: States.CLOSED,
  }),
  [States.ERROR]: Object.freeze({ start: States.CONNECTING, stop: States.CLOSED }),
});

/** An error the SDK reports; `fatal` ones stop it (state 'error'). */
export class HeraldError extends Error {
  constructor(message, { status = 0, fatal = false, code = 0 } = {}) {
    super(message);
    this.name = 'HeraldError';
    this.status = status;
    this.fatal = fatal;
    this.code = code;
  }
}

/**
 * Exponential back-off with full jitter: a uniform delay in [0, min(maxMs, baseMs * 2^attempt)).
 * Full jitter spreads the reconnects of many clients after a gateway goes away.
 */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 30_000 } = {}, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before asking `/v1/route` again after it answered 503 (the gateways are rebalancing, or
 * the owner crashed and another one is taking over: a matter of a second or two): uniform in
 * [2/3, 1) of a ceiling that doubles from `baseMs` up to `maxMs`, i.e. 200-300 ms, 400-600 ms,
 * then 667-1000 ms with the defaults. Short and capped low, so a client is back soon after the new
 * owner is; jittered, so the clients of one gateway do not ask in step.
 */
export function routeRetryDelay(attempt, { baseMs = 300, maxMs = 1000 } = {}, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(ceiling * (2 + random()) / 3);
}

/** When a JWT expires (ms since the epoch, from its `exp` claim), or null when that cannot be read. */
export function tokenExpiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(payload)).exp;
    return Number.isFinite(exp) ? exp * 1000 : null;
  }
  catch {
    return null;
  }
}

const MAX_MOVES = 3;
const MAX_AUTH_RETRIES = 2;
/** How long before a token expires a fresh one is sent to the gateway. */
const TOKEN_RENEW_AHEAD_MS = 30_000;

/**
 * One user's session with the push gateways. `host` supplies what the session needs and hears what
 * it gets: `http(method, url)` (authenticated REST), `token()` (async, the current token),
 * `tokenValue()`, `canRenewToken()`, `renewToken(stale)` (async), `since()` (the cursor to resume
 * from), `onFrame(frame)` (every parsed frame), `onOpen()` (the gateway welcomed the socket: the
 * session takes other frames now), `onDisconnect()` (the socket is gone) and
 * `onState({ state, error })`.
 *
 * `run` counts starts and stops: work begun in one run (a timer, a request) checks it before acting,
 * so nothing of a stopped session acts on a later one.
 */
export class Connection {
  constructor(host, { gatewayUrl, WebSocket, setTimeout, clearTimeout, random, now, backoff, routeRetry, log }) {
    this.host = host;
    this.gatewayUrl = gatewayUrl;
    this.WebSocketImpl = WebSocket;
    this.setTimer = setTimeout;
    this.clearTimer = clearTimeout;
    this.random = random;
    this.now = now;
    this.backoff = backoff;
    this.routeRetry = routeRetry;
    this.log = log;
    this.currentState = States.CLOSED;
    this.lastError = null;
    this.run = 0;
    this.socket = null;
    /** The socket the gateway has welcomed: frames other than `auth` may go on it. */
    this.welcomed = null;
    this.timer = null;
    this.wake = null;
    this.tokenTimer = null;
    this.attempt = 0;
    /** 503s from the route in a row: they back off on their own short schedule (routeRetryDelay). */
    this.routeAttempt = 0;
    this.moves = 0;
    this.authRetries = 0;
    this.movedTo = null;
  }

  get state() {
    return this.currentState;
  }

  get error() {
    return this.lastError;
  }

  /** The URL of the gateway's socket, while open. */
  get url() {
    return this.currentState === States.OPEN && this.socket ? this.socket.url : null;
  }

  /** Sends a frame on the session, if one is open (welcomed); false when there is none. */
  send(frame) {
    if (!this.socket || this.socket !== this.welcomed) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Whether the table lets `event` happen in the current state. */
  can(event) {
    return Object.hasOwn(Transitions[this.currentState], event);
  }

  /**
   * Moves to the state the table names for `event`. An event the current state does not list is
   * refused: logged, the state unchanged, and false returned so that the caller does nothing more.
   */
  transition(event, error = null) {
    if (!this.can(event)) {
      this.log(`herald: refused '${event}' in state '${this.currentState}'`);
      return false;
    }
    if (error) {
      this.lastError = error;
    }
    const next = Transitions[this.currentState][event];
    if (next !== this.currentState) {
      this.currentState = next;
      this.host.onState({ state: next, error });
    }
    return true;
  }

  /** Begins a run (state 'connecting'); returns it. */
  begin() {
    if (!this.transition('start')) {
      return null;
    }
    this.lastError = null;
    this.attempt = 0;
    this.routeAttempt = 0;
    return ++this.run;
  }

  /** Ends the run and closes the socket; state 'closed'. */
  stop() {
    this.run++;
    this.cancelTimers();
    this.wakeUp();
    this.closeSocket('stopped');
    this.transition('stop');
  }

  /** Ends the run on a fatal error; state 'error'. */
  fail(error) {
    if (!this.can('fail')) {
      return;
    }
    this.run++;
    this.cancelTimers();
    this.wakeUp();
    this.closeSocket('failed');
    this.transition('fail', error);
  }

  /**
   * State 'reconnecting' for a back-off; resolves true when it is over, false when the run ended
   * meanwhile (stop() wakes it, so that a caller awaiting it settles).
   */
  pause(error) {
    const run = this.run;
    if (!this.can('lose')) {
      return Promise.resolve(false);
    }
    this.transition('lose', error);
    this.cancelTimer();
    return new Promise(resolve => {
      this.wake = () => resolve(false);
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.wake = null;
        resolve(run === this.run);
      }, this.nextDelay());
    });
  }

  wakeUp() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The inbox is loaded: the next failures back off from the first step again. */
  resetBackoff() {
    this.attempt = 0;
  }

  /** Asks the route (unless a 4001 named the next gateway) and opens the socket. */
  async connect() {
    const run = this.run;
    let url = this.movedTo;
    this.movedTo = null;
    let token;
    try {
      if (!url) {
        let route;
        try {
          route = await this.host.http('GET', `${this.gatewayUrl}/v1/route`);
        }
        catch (error) {
          if (error.status === 503 && run === this.run) {
            this.reconnectLater(error, routeRetryDelay(this.routeAttempt++, this.routeRetry, this.random));
            return;
          }
          throw error;
        }
        this.routeAttempt = 0;
        url = route.url;
      }
      token = await this.host.token();
    }
    catch (error) {
      if (run === this.run) {
        error.fatal ? this.fail(error) : this.reconnectLater(error);
      }
      return;
    }
    if (run !== this.run) {
      return;
    }
    let socket;
    try {
      socket = new this.WebSocketImpl(url);
    }
    catch (error) {
      this.reconnectLater(new HeraldError(`cannot open ${url}: ${error.message}`));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) {
        // `since` is left out when there is no cursor yet: "from now on". `sdk` tells the gateway's
        // metrics which client this is; gateways from before it ignore it.
        socket.send(JSON.stringify({ type: 'auth', token, since: this.host.since() ?? undefined, sdk: SDK_AGENT }));
      }
    };
    socket.onmessage = message => {
      if (this.socket === socket) {
        this.onMessage(socket, message.data);
      }
    };
    socket.onclose = close => {
      if (this.socket === socket) {
        this.socket = null;
        this.onClose(run, close.code, close.reason || '');
      }
    };
    socket.onerror = () => {
      // A close event always follows; it decides what to do.
    };
  }

  onMessage(socket, data) {
    let frame;
    try {
      frame = JSON.parse(data);
    }
    catch {
      return;
    }
    if (typeof frame?.type !== 'string') {
      return;
    }
    if (frame.type === 'welcome') {
      this.attempt = 0;
      this.routeAttempt = 0;
      this.moves = 0;
      this.authRetries = 0;
      this.renewTokenBeforeExpiry(socket);
    }
    this.host.onFrame(frame);
    if (frame.type === 'welcome' && this.socket === socket && this.transition('welcome')) {
      this.welcomed = socket;
      this.host.onOpen();
    }
    else if (frame.type === 'ping' && this.socket === socket) {
      socket.send(JSON.stringify({ type: 'pong' }));
    }
  }

  /**
   * The gateway closes a session with 4003 when its token expires; with a way to renew it, a fresh
   * token is sent in a `refresh` frame a little before that, so the session simply goes on.
   */
  renewTokenBeforeExpiry(socket) {
    this.dropTokenTimer();
    const expiresAt = tokenExpiry(this.host.tokenValue());
    if (!this.host.canRenewToken() || expiresAt === null) {
      return;
    }
    const delay = Math.max(1000, expiresAt - this.now() - TOKEN_RENEW_AHEAD_MS);
    this.tokenTimer = this.setTimer(() => {
      this.tokenTimer = null;
      this.host.renewToken(this.host.tokenValue()).then(() => {
        if (this.socket === socket) {
          socket.send(JSON.stringify({ type: 'refresh', token: this.host.tokenValue() }));
          this.renewTokenBeforeExpiry(socket);
        }
      }, () => {
        // No fresh token now: the gateway's 4003 at expiry takes the usual path (renew, resume).
      });
    }, delay);
  }

  /**
   * 4003: renew the token and resume, or fail. 4001: straight to the gateway the reason names (a
   * few times in a row at most). Anything else, including the 1000 after an old gateway's
   * `resync`: back off, then ask the route again.
   */
  onClose(run, code, reason) {
    this.dropTokenTimer();
    this.host.onDisconnect();
    if (run !== this.run) {
      return;
    }
    if (code === CloseCodes.UNAUTHORIZED) {
      if (!this.host.canRenewToken() || this.authRetries >= MAX_AUTH_RETRIES) {
        this.fail(new HeraldError(`the gateway refused the token: ${reason}`, { fatal: true, code }));
        return;
      }
      this.authRetries++;
      const stale = this.host.tokenValue();
      this.transition('lose');
      this.host.renewToken(stale).then(() => {
        if (run === this.run) {
          this.connect();
        }
      }, error => {
        if (run === this.run) {
          error.fatal ? this.fail(error) : this.reconnectLater(error);
        }
      });
      return;
    }
    if (code === CloseCodes.MOVED && /^wss?:\/\//.test(reason) && this.moves < MAX_MOVES) {
      this.moves++;
      this.movedTo = reason;
      this.transition('lose');
      this.connect();
      return;
    }
    const why = code ? new HeraldError(`connection closed (${code}${reason ? ` ${reason}` : ''})`, { code }) : null;
    this.reconnectLater(why);
  }

  /**
   * State 'reconnecting'; connects again after `delay` (by default the next step of the back-off;
   * nothing when the run has ended).
   */
  reconnectLater(error, delay = undefined) {
    const run = this.run;
    if (!this.can('lose')) {
      return; // stopped or failed meanwhile
    }
    this.transition('lose', error);
    this.cancelTimer();
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (run === this.run) {
        this.connect();
      }
    }, delay ?? this.nextDelay());
  }

  nextDelay() {
    return backoffDelay(this.attempt++, this.backoff, this.random);
  }

  cancelTimer() {
    if (this.timer) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
  }

  dropTokenTimer() {
    if (this.tokenTimer) {
      this.clearTimer(this.tokenTimer);
      this.tokenTimer = null;
    }
  }

  cancelTimers() {
    this.cancelTimer();
    this.dropTokenTimer();
  }

  closeSocket(reason) {
    const socket = this.socket;
    this.socket = null;
    this.movedTo = null;
    if (socket) {
      this.host.onDisconnect();
      try {
        socket.close(CloseCodes.NORMAL, reason);
      }
      catch {
        // already closed
      }
    }
  }
}
