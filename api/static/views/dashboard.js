// Realtime dashboard (R): overall scores with MoM/YoY, influence, win rate vs score, incubation.
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { h, fmt, DIMS, isLow, today, hrefWith, bandBadge, table, numHead, section, field } from '../dom.js';
import { bandBar, winRateChart, barChart } from '../charts.js';

const SCOPES = ['company', 'region', 'team', 'rep'];
const num = (text) => h('td', { class: 'num' }, text);

function parseScope(raw) {
  const [kind, ...rest] = String(raw || 'company').split(':');
  return SCOPES.includes(kind) ? { kind, value: rest.join(':') } : { kind: 'company', value: '' };
}

const scopeLabel = (sc) => (sc.kind === 'company' ? t('scope.company') : `${t(`scope.${sc.kind}`)} ${sc.value}`);

export async function dashboardView({ query }) {
  const asOf = query.get('as_of') || today();
  const scope = parseScope(query.get('scope'));
  const scopeParam = scope.kind === 'company' ? 'company' : `${scope.kind}:${scope.value}`;
  const d = await api('/dashboard', { query: { as_of: asOf, scope: scopeParam } });
  return h('div', {},
    h('h1', { tabindex: -1 }, t('dash.title')),
    controls(scope, asOf),
    h('p', { class: 'muted' }, `${t('dash.scope')}: ${scopeLabel(parseScope(d.scope ?? scopeParam))} · ${t('rev.asOf')} ${d.as_of ?? asOf}`),
    overall(d),
    h('div', { class: 'grid2' },
      section(t('dash.bands'), { 'data-testid': 'dash-bands' }, bandBar(d.overall?.bands)),
      influence(d.influence, d.as_of ?? asOf)),
    h('div', { class: 'grid2' },
      winRate(d.win_rate || []),
      notCredible(d.not_credible || [])),
    incubation(d.incubation || []));
}

function controls(scope, asOf) {
  const kind = h('select', { id: 'dash-scope-kind', value: scope.kind, 'data-testid': 'dash-scope-kind' },
    SCOPES.map((k) => h('option', { value: k }, t(`scope.${k}`))));
  const value = h('input', { type: 'text', id: 'dash-scope-value', value: scope.value, 'data-testid': 'dash-scope-value' });
  const date = h('input', { type: 'date', id: 'dash-as-of', value: asOf, required: true, 'data-testid': 'dash-as-of' });
  const sync = () => { value.disabled = kind.value === 'company'; value.required = !value.disabled; };
  kind.addEventListener('change', sync);
  sync();
  const form = h('form', { class: 'toolbar', 'data-testid': 'dashboard-controls' },
    field(t('dash.scope'), kind), field(t('dash.scopeValue'), value), field(t('rev.asOf'), date),
    h('button', { type: 'submit', 'data-testid': 'dash-apply' }, t('apply')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const sc = kind.value === 'company' ? 'company' : `${kind.value}:${value.value.trim()}`;
    location.hash = hrefWith('/dashboard', { scope: sc, as_of: date.value });
  });
  return form;
}

function delta(label, v) {
  const d = fmt.delta(v);
  return h('span', { class: `delta ${d.cls}`, 'data-testid': 'delta' }, `${label} ${d.text}`);
}

function overall(d) {
  const o = d.overall || {};
  const card = (dim) => {
    const v = o.averages?.[dim];
    return h('div', { class: `kpi${v == null || isLow(v) ? ' low' : ''}`, 'data-testid': `dash-avg-${dim}` },
      h('div', { class: 'kpi-label' }, t(`dim.${dim}`)),
      h('div', { class: 'kpi-value' }, v == null ? t('unknown') : fmt.avg(v)),
      h('div', { class: 'kpi-deltas' }, delta(t('dash.mom'), d.mom?.averages?.[dim]), ' ', delta(t('dash.yoy'), d.yoy?.averages?.[dim])));
  };
  const count = (label, v, testid) => h('div', { class: 'kpi', 'data-testid': testid },
    h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, fmt.int(v)));
  return section(t('dash.overall'), { 'data-testid': 'dash-overall' },
    h('div', { class: 'kpis' }, DIMS.map(card), count(t('dash.accounts'), o.accounts, 'dash-accounts'), count(t('dash.keyPersons'), o.key_persons, 'dash-key-persons')));
}

function influence(inf, asOf) {
  const c = inf?.contribution || {};
  const kpi = (label, value, sub, testid) => h('div', { class: 'kpi', 'data-testid': testid },
    h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value), h('div', { class: 'hint' }, sub));
  // The contributions count the deals won from 1 January of the as-of year (graphbrm/dashboard.py).
  const ytd = t('dash.ytd', { from: `${String(asOf).slice(0, 4)}-01-01`, to: asOf });
  return section(t('dash.influence'), { 'data-testid': 'dash-influence' }, h('p', { class: 'hint', 'data-testid': 'dash-ytd' }, ytd), h('div', { class: 'kpis' },
    kpi(t('dash.potential'), fmt.pct(inf?.potential), t('dash.potentialHint'), 'dash-potential'),
    kpi(t('dash.contribCount'), fmt.pct(c.count_share), t('dash.wonOf', { a: fmt.int(c.won_with_influence), b: fmt.int(c.won) }), 'dash-contribution-count'),
    kpi(t('dash.contribAmount'), fmt.pct(c.amount_share), t('dash.amountOf', { a: fmt.amount(c.amount_with_influence), b: fmt.amount(c.amount) }), 'dash-contribution-amount')));
}

function winRate(rows) {
  if (!rows.length) return section(t('dash.winrate'), { 'data-testid': 'dash-winrate' }, h('p', { class: 'muted' }, t('dash.nodata')));
  return section(t('dash.winrate'), { 'data-testid': 'dash-winrate' },
    h('div', { class: 'scroll-x' }, winRateChart(rows)),
    h('p', { class: 'hint' }, t('dash.winrateLegend')),
    table([t('acc.band'), ...[t('dash.closed'), t('dash.won'), t('dash.rate'), t('dash.ci'), t('dash.expected')].map(numHead)],
      rows.map((r) => {
        const below = r.expected_min != null && r.rate != null && r.rate < r.expected_min;
        return [bandBadge(r.band), num(fmt.int(r.closed)), num(fmt.int(r.won)),
          h('td', { class: below ? 'num low' : 'num' }, fmt.pct(r.rate)),
          num(`${fmt.pct(r.ci_low)} – ${fmt.pct(r.ci_high)}`), num(fmt.pct(r.expected_min))];
      }), { class: 'grid compact' }));
}

function notCredible(rows) {
  return section(t('dash.notCredible'), { 'data-testid': 'dash-not-credible' }, rows.length
    ? h('div', { class: 'scroll-x' }, table([t('acc.name'), t('acc.band'), numHead(t('dash.closed')), numHead(t('dash.won')), numHead(t('dash.ciHigh'))],
      rows.map((r) => [h('a', { href: `#/accounts/${enc(r.account_id)}` }, r.name ?? r.account_id), bandBadge(r.band),
        num(fmt.int(r.closed)), num(fmt.int(r.won)), num(fmt.pct(r.ci_high))])))
    : h('p', { class: 'muted' }, t('dash.notCredibleNone')));
}

function incubation(rows) {
  const sorted = [...rows].sort((a, b) => String(a.period).localeCompare(String(b.period)));
  return section(t('dash.incubation'), { 'data-testid': 'dash-incubation' }, sorted.length
    ? h('div', { class: 'charts3' },
      barChart(sorted, { value: (r) => r.count, format: fmt.int, label: t('dash.count'), testid: 'incubation-count' }),
      barChart(sorted, { value: (r) => r.amount, format: fmt.amount, label: t('dash.amount'), testid: 'incubation-amount' }),
      barChart(sorted, { value: (r) => r.qualified_share, format: fmt.pct, label: t('dash.qualified'), testid: 'incubation-qualified' }))
    : h('p', { class: 'muted' }, t('dash.nodata')));
}

