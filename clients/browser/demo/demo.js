// The Herald demo page: one user's live inbox through the browser SDK, shown by the <herald-inbox>
// element (bell, badge, feed, toasts), a system-alert banner fed by the `system` channel, and an
// order panel watching `order:<id>`. The page makes the Herald itself and gives it to the element,
// so that the same session also serves the channels. It never holds an API key: tokens and test
// messages come from producer-api's development endpoints (/dev/**).
import { Herald, isAfter } from '../sdk/herald.js';
import '../sdk/herald-inbox.js';

const $ = id => document.getElementById(id);
const devApi = path => new URL(`../dev/${path}`, location.href).href;

/**
 * For the curious (and the browser tests): the SDK and what the page showed: `shown` counts the
 * 'notification' events per event id, `messages` the channel messages handed to the page.
 */
const demo = (window.heraldDemo = { herald: null, user: null, shown: {}, messages: {}, order: null });
let herald = null;
let config = null;
/** The system message the banner shows (or showed, until dismissed). */
let shownAlert = null;
/** The order being watched: its id, and the function that ends the subscription. */
let watched = null;

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const fields = (json.errors || []).map(error => `${error.field} ${error.message}`).join('; ');
    const error = new Error(fields || json.detail || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

async function connect(userId) {
  herald?.stop();
  demo.shown = {};
  demo.messages = {};
  shownAlert = null;
  renderAlert();
  if (!config) {
    config = await (await fetch(devApi('config'))).json();
  }
  const getToken = async () => (await postJson(devApi('tokens'), { userId })).token;
  herald = new Herald({ storeUrl: config.storeUrl, gatewayUrl: config.gatewayUrl, getToken });
  demo.herald = herald;
  demo.user = userId;
  $('send-user').placeholder = userId;
  herald.on('state', ({ state, error }) => renderState(state, error));
  herald.on('unread', count => { document.title = count ? `(${count}) Herald demo` : 'Herald demo'; });
  herald.on('notification', item => {
    demo.shown[item.eventId] = (demo.shown[item.eventId] || 0) + 1;
  });
  herald.on('subscription', renderSubscription);
  // Subscribed before start(): the SDK sends it once the session is open, and again after reconnects.
  herald.subscribe('system', showAlert);
  if (watched) {
    watch(watched.orderId);
  }
  const url = new URL(location.href);
  url.searchParams.set('user', userId);
  history.replaceState(null, '', url);
  // The element starts the Herald it is given (and leaves stopping it to the page).
  $('inbox').herald = herald;
}

function counted(message) {
  demo.messages[message.eventId] = (demo.messages[message.eventId] || 0) + 1;
}

// --- the system banner: the latest message of the `system` channel ---

function showAlert(message) {
  counted(message);
  // A message filled in after a resync may be older than the one shown: the banner keeps the latest.
  if (shownAlert && isAfter(shownAlert.cursor, message.cursor)) {
    return;
  }
  shownAlert = { ...message, dismissed: false };
  renderAlert();
}

function renderAlert() {
  const banner = $('alert');
  banner.hidden = !shownAlert || shownAlert.dismissed;
  banner.dataset.eventId = shownAlert?.eventId ?? '';
  banner.dataset.type = shownAlert?.type ?? '';
  $('alert-title').textContent = shownAlert?.title ?? '';
  $('alert-body').textContent = shownAlert?.body ?? '';
}

// --- the order panel: the messages of `order:<id>` ---

function watch(orderId) {
  watched?.unsubscribe?.();
  const channel = `order:${orderId}`;
  watched = { orderId, channel, unsubscribe: null }; // before subscribing: its events name this channel
  demo.order = channel;
  $('order-messages').replaceChildren();
  $('order-state').dataset.channel = channel;
  renderOrderState('pending');
  $('channel-names').replaceChildren(...['system', channel].map(name => Object.assign(document.createElement('option'), { value: name })));
  $('channel-name').value = channel;
  $('channel-type').value = 'order.status';
  watched.unsubscribe = herald.subscribe(channel, addOrderMessage);
}

function addOrderMessage(message) {
  counted(message);
  const li = document.createElement('li');
  li.className = `entry${message.filled ? ' filled' : ' fresh'}`;
  li.dataset.eventId = message.eventId;
  li.dataset.cursor = message.cursor;
  const title = document.createElement('span');
  title.className = 'title';
  title.textContent = message.title;
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${message.type} · ${when(message.occurredAt)}`;
  li.append(title, meta);
  if (message.body) {
    const body = document.createElement('span');
    body.className = 'body';
    body.textContent = message.body;
    li.append(body);
  }
  // Oldest first; a message filled in after a resync goes where its cursor puts it.
  const list = $('order-messages');
  const later = [...list.children].find(other => isAfter(other.dataset.cursor, message.cursor));
  list.insertBefore(li, later ?? null);
}

function renderSubscription({ channel, state, error, reason }) {
  const detail = error ? `: ${error.message}` : reason ? `: ${reason}` : '';
  if (channel === 'system') {
    $('alerts-state').dataset.state = state;
    $('alerts-state').textContent = `alerts: ${state}`;
    $('alerts-state').title = `the system channel${detail}`;
  }
  else if (channel === watched?.channel) {
    renderOrderState(state, detail);
  }
}

function renderOrderState(state, detail = '') {
  const element = $('order-state');
  element.dataset.state = state;
  const words = {
    pending: 'waiting for the connection…',
    subscribing: 'subscribing…',
    subscribed: 'watching: new messages show below.',
    retrying: 'the gateway is starting; trying again…',
    refused: 'refused',
    ended: 'ended by the gateway',
    unsubscribed: 'stopped watching',
  };
  element.textContent = `${demo.order} — ${words[state] ?? state}${detail}`;
}

function renderState(state, error) {
  const element = $('state');
  element.dataset.state = state;
  element.textContent = state;
  element.title = error ? error.message : 'connection';
  const failure = state === 'error' && error ? error.message : '';
  $('gateway').textContent = herald?.connectedUrl ? `via ${herald.connectedUrl}` : failure;
}

function when(iso) {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) {
    return '';
  }
  const seconds = Math.round((Date.now() - at) / 1000);
  if (seconds < 45) {
    return 'just now';
  }
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  return new Date(at).toLocaleString();
}

$('user-form').addEventListener('submit', event => {
  event.preventDefault();
  const user = $('user').value.trim();
  if (user) {
    connect(user).catch(error => renderState('error', error));
  }
});

$('send-form').addEventListener('submit', async event => {
  event.preventDefault();
  const result = $('send-result');
  const body = {
    userId: $('send-user').value.trim() || demo.user || $('user').value.trim(),
    type: $('send-type').value,
    title: $('send-title').value,
  };
  if ($('send-body').value.trim()) {
    body.body = $('send-body').value;
  }
  result.textContent = 'sending…';
  try {
    const accepted = await postJson(devApi('notifications'), body);
    const sent = accepted.notifications?.[0];
    result.textContent = sent ? `accepted for ${sent.userId} at ${sent.cursor}` : 'accepted';
  }
  catch (error) {
    result.textContent = `refused: ${error.message}`;
  }
});

$('alert-dismiss').addEventListener('click', () => {
  if (shownAlert) {
    shownAlert.dismissed = true;
    renderAlert();
  }
});

$('order-form').addEventListener('submit', event => {
  event.preventDefault();
  const orderId = $('order-id').value.trim().toLowerCase();
  if (orderId && herald) {
    watch(orderId);
  }
});

$('channel-form').addEventListener('submit', async event => {
  event.preventDefault();
  const result = $('channel-result');
  const channel = $('channel-name').value.trim() || 'system';
  const body = { type: $('channel-type').value, title: $('channel-title').value, body: $('channel-body').value };
  result.textContent = 'sending…';
  try {
    const accepted = await postJson(devApi(`channels/${encodeURIComponent(channel)}/messages`), body);
    result.textContent = `accepted for ${channel}${accepted.cursor ? ` at ${accepted.cursor}` : ''}`;
  }
  catch (error) {
    result.textContent = error.status === 404
      ? 'not available yet: this producer-api has no POST /dev/channels/{channel}/messages (404)'
      : `refused: ${error.message}`;
  }
});

const initialUser = new URLSearchParams(location.search).get('user');
if (initialUser) {
  $('user').value = initialUser;
}
connect($('user').value.trim() || 'alice').catch(error => renderState('error', error));
