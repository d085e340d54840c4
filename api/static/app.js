// graphbrm web UI: sign-in, header, hash routing.
import { t, getLang, setLang } from './i18n.js';
import { api, getToken, setToken, clearToken, takeTokenFromHash, setUnauthorizedHandler, errorLines } from './api.js';
import { h, errorBox, field, takeFlash, useMeta } from './dom.js';
import { accountsView, accountView } from './views/accounts.js';
import { reviewView } from './views/review.js';
import { dailyView } from './views/daily.js';
import { yearlyView } from './views/yearly.js';
import { dashboardView } from './views/dashboard.js';
import { alertBell, alertsView } from './views/alerts.js';

const ROUTES = [
  [/^\/accounts$/, accountsView, 'accounts'],
  [/^\/accounts\/([^/]+)$/, accountView, 'accounts'],
  [/^\/accounts\/([^/]+)\/review$/, reviewView, 'accounts'],
  [/^\/daily$/, dailyView, 'daily'],
  [/^\/yearly$/, yearlyView, 'yearly'],
  [/^\/dashboard$/, dashboardView, 'dashboard'],
  [/^\/alerts$/, alertsView, 'alerts'],
];
const NAV = ['accounts', 'daily', 'yearly', 'dashboard'];

const root = document.getElementById('app');
let me = null;
let seq = 0;
let lastPath = null;
let signingIn = false;

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const i = raw.indexOf('?');
  let path = i < 0 ? raw : raw.slice(0, i);
  if (path === '' || path === '/') path = '/accounts';
  return { path, query: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

// ---- header -----------------------------------------------------------------------------

function langButton() {
  const other = getLang() === 'zh-CN' ? 'en' : 'zh-CN';
  return h('button', {
    type: 'button', id: 'lang-toggle', class: 'ghost', lang: other, 'aria-label': t('lang.toggle.label'), 'data-testid': 'lang-toggle',
    onclick: () => { const keep = document.activeElement?.id; setLang(other); if (me) { renderShell(); route(keep); } else showSignIn(); },
  }, t('lang.toggle'));
}

function renderShell() {
  const main = h('main', { id: 'main', tabindex: -1 });
  const skip = h('a', { class: 'skip', href: '#main', onclick: (ev) => { ev.preventDefault(); main.focus(); } }, t('skip'));
  const nav = h('nav', { 'aria-label': t('nav.main') }, h('ul', {}, NAV.map((k) => h('li', {},
    h('a', { href: `#/${k}`, 'data-nav': k, 'data-testid': `nav-${k}` }, t(`nav.${k}`))))));
  const user = h('span', { class: 'user', 'data-testid': 'current-user' }, me.name ?? me.employee_id, ' · ', t(`role.${me.role}`, {}, me.role ?? ''));
  const signOut = h('button', { type: 'button', id: 'signout', class: 'ghost', 'data-testid': 'signout', onclick: () => { clearToken(); showSignIn(); } }, t('signout'));
  root.replaceChildren(skip,
    h('header', { class: 'top' }, h('a', { class: 'brand', href: '#/accounts' }, t('app.name'), h('small', {}, t('app.tagline'))), nav,
      h('div', { class: 'tools' }, alertBell(), user, langButton(), signOut)),
    main);
}

function markNav(active) {
  for (const a of root.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---- sign-in ----------------------------------------------------------------------------

function showSignIn(message) {
  me = null;
  lastPath = null;
  seq += 1; // drop any view still loading
  const input = h('input', { type: 'password', id: 'signin-token', autocomplete: 'off', spellcheck: 'false', required: true, 'data-testid': 'signin-token' });
  const box = errorBox('signin-error');
  if (message) { box.textContent = message; box.hidden = false; }
  const form = h('form', { class: 'card signin stack', 'data-testid': 'signin-form' },
    h('h1', {}, t('signin.title')), h('p', {}, t('signin.intro')),
    field(t('signin.token'), input), box,
    h('button', { type: 'submit', id: 'signin-submit', 'data-testid': 'signin-submit' }, t('signin.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    setToken(token);
    await signIn(true);
  });
  root.replaceChildren(h('header', { class: 'top' }, h('span', { class: 'brand' }, t('app.name'), h('small', {}, t('app.tagline'))),
    h('div', { class: 'tools' }, langButton())), h('main', { id: 'main' }, form));
  document.title = `${t('signin.title')} · graphbrm`;
  input.focus();
}

async function signIn(fromForm = false) {
  signingIn = fromForm;
  try {
    const [who, meta] = await Promise.all([api('/me'), api('/meta')]);
    useMeta(meta); // before any view draws a score
    me = who;
  } catch (err) {
    if (err.status === 401) showSignIn(fromForm ? t('signin.invalid') : t('signin.expired'));
    else if (fromForm) showSignIn(errorLines(err).join(' '));
    else fatal(err);
    return;
  } finally {
    signingIn = false;
  }
  renderShell();
  route();
}

function fatal(err) {
  root.replaceChildren(h('main', { id: 'main' }, h('div', { class: 'card error-panel', role: 'alert', 'data-testid': 'error-panel' },
    h('h1', {}, t('err.title')), errorLines(err).map((line) => h('p', {}, line)),
    h('button', { type: 'button', onclick: () => signIn() }, t('retry')))));
}

// ---- routing ----------------------------------------------------------------------------

function errorPanel(lines, retry) {
  return h('div', { class: 'card error-panel', role: 'alert', 'data-testid': 'error-panel' },
    h('h1', { tabindex: -1 }, t('err.title')), lines.map((line) => h('p', { 'data-testid': 'error-line' }, line)),
    retry ? h('button', { type: 'button', 'data-testid': 'error-retry', onclick: retry }, t('retry')) : null);
}

const loadingNote = () => h('p', { class: 'loading', role: 'status', 'data-testid': 'loading' }, t('loading'));

function restoreFocus(main, focusId, pathChanged) {
  const again = focusId && document.getElementById(focusId);
  if (again) again.focus();
  else if (pathChanged) (main.querySelector('h1') || main).focus();
}

async function route(keepFocusId) {
  if (!me) return;
  const mine = ++seq;
  const { path, query } = parseHash();
  const found = ROUTES.map(([re, view, nav]) => ({ m: re.exec(path), view, nav })).find((r) => r.m);
  const main = document.getElementById('main');
  const pathChanged = path !== lastPath;
  const focusId = keepFocusId || (pathChanged ? null : document.activeElement?.id);
  lastPath = path;
  markNav(found?.nav);
  if (!found) { main.replaceChildren(errorPanel([t('err.noroute')])); return; }
  main.setAttribute('aria-busy', 'true');
  // A new page replaces the old one at once; the same page with new filters keeps it, marked as loading.
  if (pathChanged) main.replaceChildren(loadingNote());
  else if (!main.querySelector(':scope > .loading')) main.prepend(loadingNote());
  try {
    const params = found.m.slice(1).map(decodeURIComponent);
    const node = await found.view({ params, query }, { me });
    if (mine !== seq) return;
    const flash = takeFlash();
    main.replaceChildren(...(flash ? [h('p', { class: 'flash', role: 'status', 'data-testid': 'flash' }, flash)] : []), node);
    document.title = `${node.querySelector('h1')?.textContent || t('app.name')} · graphbrm`;
    restoreFocus(main, focusId, pathChanged);
  } catch (err) {
    if (mine !== seq || err?.status === 401) return;
    main.replaceChildren(errorPanel(errorLines(err), () => route()));
    if (pathChanged) main.querySelector('h1').focus();
  } finally {
    if (mine === seq) main.removeAttribute('aria-busy');
  }
}

function start() {
  setUnauthorizedHandler(() => { if (!signingIn) showSignIn(t('signin.expired')); });
  const fromLink = takeTokenFromHash();
  window.addEventListener('hashchange', () => { if (takeTokenFromHash()) signIn(true); else route(); });
  window.addEventListener('graphbrm:reload', () => route());
  if (!getToken()) showSignIn();
  else signIn(fromLink);
}

start();
