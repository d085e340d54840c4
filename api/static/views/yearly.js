// Yearly assessment (Y): each rep by the relationship quality of the key accounts they own.
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { h, fmt, BANDS, bandBadge, hrefWith, field, numHead } from '../dom.js';

const RANK = { poor: 0, good: 1, excellent: 2 };

export async function yearlyView({ query }) {
  const thisYear = new Date().getFullYear();
  const year = parseInt(query.get('year') || '', 10) || thisYear;
  const res = await api('/assessments/yearly', { query: { year } });
  const reps = res.reps || [];
  return h('div', {},
    h('h1', { tabindex: -1 }, t('yr.title')),
    yearForm(year, thisYear),
    h('p', { class: 'hint' }, t('yr.note'), targetsText(res.targets)),
    reps.length ? repsTable(reps) : h('p', { class: 'muted' }, t('yr.empty')));
}

function targetsText(targets) {
  if (!targets) return '';
  const parts = [targets.share_excellent, targets.share_good_or_better].map((v) => fmt.pct(v));
  return ` (${t('yr.shareExcellent')} ≥ ${parts[0]}, ${t('yr.shareGood')} ≥ ${parts[1]})`;
}

function yearForm(year, thisYear) {
  const years = [];
  for (let y = thisYear; y >= thisYear - 6; y -= 1) years.push(y);
  if (!years.includes(year)) years.push(year);
  const select = h('select', { id: 'yearly-year', value: String(year), 'data-testid': 'yearly-year' },
    years.map((y) => h('option', { value: String(y) }, String(y))));
  select.addEventListener('change', () => { location.hash = hrefWith('/yearly', { year: select.value }); });
  return h('form', { class: 'toolbar', onsubmit: (ev) => ev.preventDefault() }, field(t('yr.year'), select));
}

function repsTable(reps) {
  const numeric = [t('yr.accounts'), ...BANDS.map((b) => t(`band.${b}`)), t('yr.shareExcellent'), t('yr.shareGood')];
  const headers = [h('th', { scope: 'col' }, t('yr.rep')), ...numeric.map(numHead),
    h('th', { scope: 'col' }, t('yr.meets')), h('th', { scope: 'col' }, t('yr.details'))];
  const body = h('tbody', {});
  // Reps who own no key account are not assessed: listed last, in grey.
  const ordered = [...reps.filter((r) => r.meets_target !== null), ...reps.filter((r) => r.meets_target === null)];
  ordered.forEach((r, i) => {
    const detailId = `yearly-detail-${i}`;
    const detail = h('tr', { id: detailId, class: 'detail', hidden: true }, h('td', { colspan: headers.length }, bandsTable(r.account_bands || [])));
    const toggle = h('button', { type: 'button', class: 'linklike', 'aria-expanded': 'false', 'aria-controls': detailId, 'data-testid': 'yearly-expand',
      'aria-label': `${t('yr.details')}: ${r.name ?? r.employee_id} (${(r.account_bands || []).length})` },
      `▸ ${(r.account_bands || []).length}`);
    toggle.addEventListener('click', () => {
      const open = detail.hidden;
      detail.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = `${open ? '▾' : '▸'} ${(r.account_bands || []).length}`;
    });
    body.append(h('tr', { 'data-testid': 'yearly-row', 'data-id': r.employee_id, class: r.meets_target === null ? 'not-assessed' : null },
      h('th', { scope: 'row' }, h('a', { href: hrefWith('/daily', { employee: r.employee_id }) }, r.name ?? r.employee_id)),
      h('td', { class: 'num' }, fmt.int(r.accounts)),
      BANDS.map((b) => h('td', { class: 'num' }, fmt.int(r[b]))),
      h('td', { class: 'num' }, fmt.pct(r.share_excellent)),
      h('td', { class: 'num' }, fmt.pct(r.share_good_or_better)),
      h('td', {}, verdict(r.meets_target)),
      h('td', {}, toggle)), detail);
  });
  const head = h('thead', {}, h('tr', {}, headers));
  return h('div', { class: 'scroll-x' }, h('table', { class: 'grid', 'data-testid': 'yearly-table' }, head, body));
}

function verdict(meets) {
  if (meets === null) {
    return h('span', { class: 'badge na', 'data-testid': 'meets-target-badge', 'data-met': 'null', title: t('yr.notAssessedWhy') }, t('yr.notAssessed'));
  }
  return h('span', { class: `badge ${meets ? 'pass' : 'fail'}`, 'data-testid': 'meets-target-badge', 'data-met': String(meets) },
    meets ? `✓ ${t('yr.met')}` : `✗ ${t('yr.notMet')}`);
}

function bandsTable(rows) {
  if (!rows.length) return h('p', { class: 'muted' }, t('none'));
  const change = (a, b) => {
    if (!(a in RANK) || !(b in RANK) || RANK[a] === RANK[b]) return h('span', { class: 'flat' }, '=');
    return RANK[b] > RANK[a] ? h('span', { class: 'up' }, '▲') : h('span', { class: 'down' }, '▼');
  };
  return h('table', { class: 'grid inner', 'data-testid': 'yearly-account-bands' },
    h('thead', {}, h('tr', {}, [t('acc.name'), t('yr.start'), t('yr.end'), t('yr.change')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((a) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `#/accounts/${enc(a.account_id)}` }, a.name ?? a.account_id)),
      h('td', {}, bandBadge(a.start)), h('td', {}, bandBadge(a.end)), h('td', {}, change(a.start, a.end))))));
}
