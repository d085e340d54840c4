// Alerts (R): the bell in the header with the open count, the list with links to the account's
// review and map, acknowledging, and my open alerts at the top of the daily view.
import { t, te, getLang } from '../i18n.js';
import { api, enc } from '../api.js';
import { h, section } from '../dom.js';

// The bell asks at once after this page's own writes (every view signals a finished write
// with 'graphbrm:reload'; an acknowledgement with 'graphbrm:alerts'), when the tab becomes
// visible again, and otherwise every 30 s while visible: an alert raised by someone else's edit
// waits at most that long, and a company of open browsers asks a few times a second, not
// hundreds.
const POLL_MS = 30_000;
const DAILY_SHOWN = 5;
let refreshBell = () => {};
let timer = null;

window.addEventListener('graphbrm:alerts', () => refreshBell());
window.addEventListener('graphbrm:reload', () => refreshBell());
document.addEventListener('visibilitychange', () => refreshBell());

/** A bell drawn as SVG: an emoji would need a colour-emoji font, which many desktops lack. */
function bellIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '18', height: '18',
    fill: 'currentColor', 'aria-hidden': 'true', class: 'bell-icon' })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 3a1 1 0 0 1 1 1v1.1A6 6 0 0 1 18 11v4l2 2v1H4v-1l2-2v-4a6 6 0 0 1 '
    + '5-5.9V4a1 1 0 0 1 1-1zm-2 16h4a2 2 0 0 1-4 0z');
  svg.append(path);
  return svg;
}

/** The header's bell: a link to the alert list, with the number of open alerts. */
export function alertBell() {
  const count = h('span', { class: 'bell-count', 'data-testid': 'alert-count' }, '0');
  const bell = h('a', { href: '#/alerts', class: 'bell', 'data-testid': 'alert-bell', title: t('alerts.title'),
    'aria-label': t('alerts.bell', { count: 0 }) }, bellIcon(), count);
  let busy = false;
  let again = false;
  refreshBell = async () => {
    if (!bell.isConnected) { clearInterval(timer); return; }
    if (document.visibilityState === 'hidden') return;
    // A question already on its way may have left before the write it should see: ask again.
    if (busy) { again = true; return; }
    busy = true;
    try {
      const open = await api('/alerts', { query: { state: 'open' } });
      count.textContent = String(open.count);
      bell.classList.toggle('has-open', open.count > 0);
      bell.setAttribute('aria-label', t('alerts.bell', { count: open.count }));
    } catch {
      // Keep the last count; the next round asks again (a sign-out is handled by api.js).
    } finally {
      busy = false;
      if (again) { again = false; refreshBell(); }
    }
  };
  clearInterval(timer);
  timer = setInterval(() => refreshBell(), POLL_MS);
  queueMicrotask(() => refreshBell());
  return bell;
}

/** The alert list: open ones (default) or all, newest first. */
export async function alertsView({ query }) {
  const state = query.get('state') === 'all' ? 'all' : 'open';
  const list = await api('/alerts', { query: { state } });
  const toggle = h('p', { class: 'tabs' },
    h('a', { href: '#/alerts', 'aria-current': state === 'open' ? 'page' : null, 'data-testid': 'alerts-open' }, t('alerts.open')), ' · ',
    h('a', { href: '#/alerts?state=all', 'aria-current': state === 'all' ? 'page' : null, 'data-testid': 'alerts-all' }, t('alerts.all')));
  return h('div', {},
    h('h1', { tabindex: -1 }, t('alerts.title')),
    toggle,
    list.data.length ? alertList(list.data) : h('p', { class: 'muted', 'data-testid': 'alerts-none' }, t('alerts.none')));
}

/** My open alerts for the top of the daily view, or nothing when there are none. */
export async function myOpenAlerts() {
  const open = await api('/alerts', { query: { state: 'open' } });
  if (!open.count) return null;
  return section(t('alerts.mine', { count: open.count }), { 'data-testid': 'daily-alerts' },
    alertList(open.data.slice(0, DAILY_SHOWN)),
    open.count > DAILY_SHOWN ? h('p', {}, h('a', { href: '#/alerts' }, t('alerts.more', { count: open.count }))) : null);
}

function alertList(alerts) {
  return h('ul', { class: 'alerts' }, alerts.map(alertItem));
}

function alertItem(a) {
  const message = getLang() === 'zh-CN' ? a.message_zh : a.message_en;
  const account = enc(a.account_id);
  const done = a.acknowledged_at
    ? h('span', { class: 'muted', 'data-testid': 'alert-acked' }, t('alerts.acked', { who: a.acknowledged_by, at: a.acknowledged_at.slice(0, 16).replace('T', ' ') }))
    : h('button', { type: 'button', class: 'secondary', 'data-testid': 'alert-ack', onclick: (ev) => acknowledge(ev.currentTarget, a.id) }, t('alerts.ack'));
  return h('li', { class: `alert sev-${a.severity}`, 'data-testid': 'alert-item', 'data-alert-id': a.id },
    h('div', { class: 'alert-head' },
      h('span', { class: `badge sev-${a.severity}`, 'data-testid': 'alert-severity' }, te('alerts.sev', a.severity)), ' ',
      h('strong', {}, te('alerts.rule', a.rule)), ' ',
      h('span', { class: 'muted' }, a.created_at.slice(0, 16).replace('T', ' '), ' UTC')),
    h('p', { class: 'alert-message', 'data-testid': 'alert-message' }, message),
    h('p', { class: 'alert-links' },
      h('a', { href: `#/accounts/${account}/review`, 'data-testid': 'alert-review' }, t('alerts.review')), ' · ',
      h('a', { href: `#/accounts/${account}`, 'data-testid': 'alert-map' }, t('alerts.map')), ' ',
      done));
}

async function acknowledge(button, id) {
  button.disabled = true;
  try {
    await api(`/alerts/${enc(id)}/ack`, { method: 'POST' });
  } finally {
    button.disabled = false;
  }
  window.dispatchEvent(new Event('graphbrm:alerts'));
  window.dispatchEvent(new Event('graphbrm:reload'));
}
