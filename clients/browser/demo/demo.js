// The Herald demo page: one user's live inbox through the browser SDK. It never holds an API key:
// tokens and test notifications come from producer-api's development endpoints (/dev/**).
import { Herald } from '../sdk/herald.js';

const $ = id => document.getElementById(id);
const devApi = path => new URL(`../dev/${path}`, location.href).href;
const TOAST_MS = 6000;
const MAX_TOASTS = 4;

/** For the curious (and the browser tests): the SDK and what the page showed. */
const demo = (window.heraldDemo = { herald: null, user: null, shown: {}, toasts: 0 });
let herald = null;
let config = null;
const fresh = new Set();

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const fields = (json.errors || []).map(error => `${error.field} ${error.message}`).join('; ');
    throw new Error(fields || json.detail || `HTTP ${response.status}`);
  }
  return json;
}

async function connect(userId) {
  herald?.stop();
  $('feed').replaceChildren();
  $('toasts').replaceChildren();
  renderBadge(0);
  demo.shown = {};
  fresh.clear();
  if (!config) {
    config = await (await fetch(devApi('config'))).json();
  }
  const getToken = async () => (await postJson(devApi('tokens'), { userId })).token;
  herald = new Herald({ storeUrl: config.storeUrl, gatewayUrl: config.gatewayUrl, getToken });
  demo.herald = herald;
  demo.user = userId;
  $('send-user').placeholder = userId;
  herald.on('state', ({ state, error }) => renderState(state, error));
  herald.on('items', renderFeed);
  herald.on('unread', renderBadge);
  herald.on('read', ({ eventIds, all }) => {
    // A toast of something already read (here or in another tab) has nothing left to say.
    for (const element of [...$('toasts').children]) {
      if (all || eventIds.includes(element.dataset.eventId)) {
        element.remove();
      }
    }
  });
  herald.on('notification', item => {
    demo.shown[item.eventId] = (demo.shown[item.eventId] || 0) + 1;
    fresh.add(item.eventId);
    setTimeout(() => fresh.delete(item.eventId), 1500);
    toast(item);
  });
  const url = new URL(location.href);
  url.searchParams.set('user', userId);
  history.replaceState(null, '', url);
  await herald.start();
}

function renderState(state, error) {
  const element = $('state');
  element.dataset.state = state;
  element.textContent = state;
  element.title = error ? error.message : 'connection';
  const failure = state === 'error' && error ? error.message : '';
  $('gateway').textContent = herald?.connectedUrl ? `via ${herald.connectedUrl}` : failure;
}

function renderBadge(count) {
  const badge = $('badge');
  const before = Number(badge.dataset.count);
  badge.dataset.count = String(count);
  badge.textContent = count > 99 ? '99+' : String(count);
  badge.hidden = count === 0;
  document.title = count ? `(${count}) Herald demo` : 'Herald demo';
  if (count > before) {
    $('bell').classList.remove('ring');
    void $('bell').offsetWidth; // restart the animation
    $('bell').classList.add('ring');
  }
}

function renderFeed(items) {
  const list = $('feed');
  list.replaceChildren(...items.map(item => {
    const li = document.createElement('li');
    li.className = `item ${item.read ? 'read' : 'unread'}${fresh.has(item.eventId) ? ' fresh' : ''}`;
    li.dataset.eventId = item.eventId;
    li.title = item.read ? 'read' : 'click to mark read';
    const dot = document.createElement('span');
    dot.className = 'dot';
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = item.title;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${item.type} · ${when(item.occurredAt)}`;
    li.append(dot, title, meta);
    if (item.body) {
      const body = document.createElement('span');
      body.className = 'body';
      body.textContent = item.body;
      li.append(body);
    }
    return li;
  }));
  $('empty').hidden = items.length > 0;
  $('mark-all').disabled = !items.some(item => !item.read);
}

function toast(item) {
  const box = $('toasts');
  const element = document.createElement('div');
  element.className = 'toast';
  element.dataset.eventId = item.eventId;
  element.dataset.shownAt = String(Date.now());
  const type = document.createElement('div');
  type.className = 'type';
  type.textContent = item.type || 'notification';
  const title = document.createElement('div');
  title.className = 'title';
  title.textContent = item.title;
  element.append(type, title);
  element.addEventListener('click', () => {
    herald?.markRead(item.eventId).catch(() => {});
    element.remove();
  });
  box.append(element);
  demo.toasts++;
  while (box.children.length > MAX_TOASTS) {
    box.firstElementChild.remove();
  }
  setTimeout(() => {
    element.classList.add('leaving');
    setTimeout(() => element.remove(), 300);
  }, TOAST_MS);
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

$('feed').addEventListener('click', event => {
  const li = event.target.closest('li.item');
  if (li && li.classList.contains('unread')) {
    herald?.markRead(li.dataset.eventId).catch(error => console.warn('mark read failed', error));
  }
});

$('mark-all').addEventListener('click', () => {
  herald?.markAllRead().catch(error => console.warn('mark all read failed', error));
});

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

// Refresh the "x min ago" labels now and then.
setInterval(() => herald && renderFeed(herald.items), 30_000);

const initialUser = new URLSearchParams(location.search).get('user');
if (initialUser) {
  $('user').value = initialUser;
}
connect($('user').value.trim() || 'alice').catch(error => renderState('error', error));
