// The live dashboard: fills the cards and the runs table from the live feed, the pickers from
// the run list, and the charts and tables from the analytics API (every 10 s, and sooner when
// the charted runs commit new snapshots). Every failure is shown on the page, never thrown.
import * as fmt from './format.js';
import { ApiError, AuthError, LiveFeed, apiKey, getJson, setApiKey } from './api.js';
import * as charts from './charts.js';

/** How often the charts are reloaded even when nothing new was seen. */
const CHART_REFRESH_MS = 10000;
/** New commits of the charted runs reload the charts, but not more often than this. */
const CHART_MIN_GAP_MS = 4000;
/** How often the run list (the pickers) is reloaded. */
const SIMULATIONS_REFRESH_MS = 15000;
/** A run the live view shows but the list lacks reloads the list, at most this often. */
const LIST_RELOAD_GAP_MS = 5000;
/** The trend endpoint takes at most this many runs. */
const TREND_MAX_RUNS = 20;
/** Episodes listed in the emergency table (the newest). */
const EMERGENCY_ROWS = 100;
/** Trend buckets the automatic choice picks from: [seconds, parameter]. */
const BUCKETS = [
  [10, '10s'], [30, '30s'], [60, '1m'], [120, '2m'], [300, '5m'], [600, '10m'], [900, '15m'],
  [1800, '30m'], [3600, '1h'], [7200, '2h'], [21600, '6h'], [43200, '12h'], [86400, '1d'],
];
/** The automatic bucket aims at no more points than this per trend. */
const TREND_TARGET_POINTS = 90;

const state = {
  simulations: [], // GET /simulations, by id
  byId: new Map(),
  selected: '', // a simulation id, or '' for all
  scenario: '',
  bucket: 'auto',
  live: null, // the last live view
  chartedCommits: null, // commits of the charted runs when the charts were last loaded
  chartsLoadedAt: 0,
  refreshing: false,
  refreshAgain: false,
  needKey: false,
  listReload: null,
  listReloadedAt: 0,
  trendBucket: '', // the bucket the trend was last loaded with
};
const chartObjects = { trend: null, comparison: null, scatter: null };
let feed = null;

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- small DOM helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function modeChip(mode) {
  return el('span', { class: `chip mode-${charts.modeKey(mode)}` }, fmt.modeName(mode));
}

/** Shows `text` over a panel's chart or table (kind: 'empty' or 'error'), or clears it. */
function panelMessage(panelId, text, kind = 'empty') {
  const panel = $(panelId);
  const message = panel.querySelector('.panel-message');
  // A hidden canvas keeps its size (Chart.js measures it); a hidden table gives its room up.
  const canvases = panel.querySelectorAll('canvas');
  const tables = panel.querySelectorAll('table');
  message.hidden = !text;
  if (text) {
    message.textContent = text;
    message.dataset.kind = kind;
  }
  for (const c of canvases) c.style.visibility = text ? 'hidden' : '';
  for (const t of tables) t.hidden = Boolean(text);
}

function errorText(err) {
  if (err instanceof AuthError) return 'An API key with the read scope is needed.';
  if (err instanceof ApiError) return `Could not load: ${err.message}. Retrying…`;
  return `Could not draw: ${err && err.message ? err.message : err}`;
}

// ---------------------------------------------------------------- the connection and the key

const STATE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Polling',
  offline: 'Offline',
  auth: 'API key needed',
};

function showConnection(s, detail) {
  const badge = $('connection');
  badge.dataset.state = s;
  $('connection-text').textContent = STATE_TEXT[s] || s;
  badge.title =
    s === 'live' ? 'Streaming the live view (Server-Sent Events)'
      : s === 'polling' ? 'The stream is unavailable: asking every 2 s'
        : s === 'offline' ? `The server does not answer${detail ? `: ${detail}` : ''}`
          : detail || '';
  if (s === 'auth') askForKey(detail);
}

function askForKey(message) {
  const first = !state.needKey;
  state.needKey = true;
  if (feed) feed.stop();
  $('connection').dataset.state = 'auth';
  $('connection-text').textContent = STATE_TEXT.auth;
  $('connection').title = message || '';
  $('key-form').hidden = false;
  $('key-message').textContent = apiKey()
    ? 'The stored key was refused: enter another one.'
    : 'This server needs an API key with the read scope.';
  for (const id of ['panel-trend', 'panel-comparison', 'panel-scatter', 'panel-runs', 'panel-emergency'])
    panelMessage(id, 'Enter an API key (read scope) in the bar above to see the figures.', 'error');
  if (first) $('key-input').focus();
}

function bindKeyForm() {
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) return;
    setApiKey(key);
    $('key-input').value = '';
    $('key-form').hidden = true;
    state.needKey = false;
    boot();
  });
}

// ---------------------------------------------------------------- runs and pickers

async function loadSimulations() {
  const doc = await getJson('/api/v1/simulations');
  state.simulations = doc.simulations || [];
  state.byId = new Map(state.simulations.map((s) => [s.simulation_id, s]));
  fillPickers();
}

/** Reloads the run list soon: once however many live events ask, and at most every 5 s. */
function reloadSimulationsSoon() {
  if (state.listReload || state.needKey) return;
  const wait = Math.max(300, state.listReloadedAt + LIST_RELOAD_GAP_MS - Date.now());
  state.listReload = setTimeout(async () => {
    state.listReloadedAt = Date.now();
    try {
      await loadSimulations();
      refreshCharts();
    } catch (err) {
      if (err instanceof AuthError) askForKey(err.message);
    } finally {
      state.listReload = null;
    }
  }, wait);
}

function scenariosOf(runs) {
  const modes = new Map();
  for (const r of runs) {
    if (!r.scenario) continue;
    if (!modes.has(r.scenario)) modes.set(r.scenario, new Set());
    modes.get(r.scenario).add(r.mode);
  }
  return modes;
}

/** Gives a <select> the options [[value, text], ...], leaving it alone (and open) when unchanged. */
function setOptions(select, options) {
  const same = select.options.length === options.length &&
    options.every(([value, text], i) => select.options[i].value === value && select.options[i].text === text);
  if (!same) select.replaceChildren(...options.map(([value, text]) => el('option', { value }, text)));
}

function fillPickers() {
  const runs = state.simulations;
  setOptions($('simulation'), [
    ['', `All simulations (${runs.length})`],
    ...runs.map((r) => [r.simulation_id,
      `${r.simulation_id} — ${[fmt.modeName(r.mode), r.scenario].filter(Boolean).join(' · ')}`]),
  ]);
  // A chosen run that is gone (deleted) falls back to all.
  if (state.selected && !state.byId.has(state.selected)) state.selected = '';
  $('simulation').value = state.selected;

  const scenarios = scenariosOf(runs);
  const names = [...scenarios.keys()].sort();
  const scenarioPick = $('scenario');
  if (!names.length) {
    setOptions(scenarioPick, [['', 'No scenario yet']]);
    state.scenario = '';
  } else {
    setOptions(scenarioPick, names.map((n) => {
      const both = scenarios.get(n).has('ai') && scenarios.get(n).has('baseline');
      return [n, both ? n : `${n} (one mode only)`];
    }));
    if (!scenarios.has(state.scenario)) {
      // Default: the chosen run's scenario, else the latest one that has both modes.
      const own = state.byId.get(state.selected);
      const comparable = names.filter((n) => scenarios.get(n).has('ai') && scenarios.get(n).has('baseline'));
      const latest = (n) => runs.filter((r) => r.scenario === n)
        .reduce((t, r) => (String(r.last_seen) > t ? String(r.last_seen) : t), '');
      comparable.sort((x, y) => latest(y).localeCompare(latest(x)) || x.localeCompare(y));
      state.scenario = (own && own.scenario) || comparable[0] || names[0];
    }
    scenarioPick.value = state.scenario;
  }
  describeSelection();
}

function describeSelection() {
  const run = state.byId.get(state.selected);
  const note = run
    ? `${run.simulation_id}: ${fmt.number(run.snapshots, 0)} snapshots, sim time ${fmt.dateTime(run.first_timestamp)} – ${fmt.clock(run.last_timestamp)} UTC`
    : `${state.simulations.length} runs stored`;
  $('simulation').title = note;
  document.querySelectorAll('#live-runs tbody tr').forEach((tr) => {
    tr.classList.toggle('selected', tr.dataset.sim === state.selected);
  });
}

function saveSelection() {
  const q = new URLSearchParams();
  if (state.selected) q.set('simulation', state.selected);
  if (state.scenario) q.set('scenario', state.scenario);
  if (state.bucket !== 'auto') q.set('bucket', state.bucket);
  const hash = q.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
}

function restoreSelection() {
  const q = new URLSearchParams(location.hash.slice(1));
  state.selected = q.get('simulation') || '';
  state.scenario = q.get('scenario') || '';
  state.bucket = q.get('bucket') || 'auto';
  $('bucket').value = state.bucket;
  if ($('bucket').value !== state.bucket) state.bucket = $('bucket').value = 'auto';
}

function select(simulationId) {
  state.selected = simulationId;
  const run = state.byId.get(simulationId);
  if (run && run.scenario) state.scenario = run.scenario;
  $('simulation').value = state.selected;
  $('scenario').value = state.scenario;
  saveSelection();
  describeSelection();
  if (state.live) renderCards(state.live);
  refreshCharts();
}

function bindPickers() {
  $('simulation').addEventListener('change', (e) => select(e.target.value));
  $('scenario').addEventListener('change', (e) => {
    state.scenario = e.target.value;
    saveSelection();
    refreshCharts();
  });
  $('bucket').addEventListener('change', (e) => {
    state.bucket = e.target.value;
    saveSelection();
    refreshCharts();
  });
  $('live-runs').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-sim]');
    if (row) select(row.dataset.sim === state.selected ? '' : row.dataset.sim);
  });
}

// ---------------------------------------------------------------- live cards and runs

function mean(values) {
  const finite = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
}

function setField(name, text) {
  const node = document.querySelector(`[data-field="${name}"]`);
  if (node.textContent === text) return;
  node.textContent = text;
  const card = node.closest('.card');
  if (card && node.classList.contains('num')) {
    card.classList.remove('changed');
    // Restart the highlight: reading offsetWidth applies the removal first.
    void card.offsetWidth;
    card.classList.add('changed');
  }
}

function modeBreakdown(runs) {
  const counts = { ai: 0, baseline: 0, untagged: 0 };
  for (const r of runs) counts[charts.modeKey(r.mode)]++;
  const parts = [];
  if (counts.ai) parts.push(`${counts.ai} AI`);
  if (counts.baseline) parts.push(`${counts.baseline} baseline`);
  if (counts.untagged) parts.push(`${counts.untagged} untagged`);
  return parts.join(' · ');
}

function renderCards(doc) {
  const runs = doc.simulations || [];
  const active = runs.filter((r) => r.active);
  setField('active', fmt.number(doc.active_simulations, 0));
  setField('active-sub', active.length ? modeBreakdown(active)
    : `none in the last ${doc.active_window_seconds ?? 60} s`);
  setField('rate', fmt.number(doc.global_ingest_rate, 1));
  setField('rate-sub', `all runs, last ${doc.rate_window_seconds ?? 10} s`);

  let sources;
  let about;
  if (state.selected) {
    const run = runs.find((r) => r.simulation_id === state.selected);
    sources = run ? [run] : [];
    about = run ? `${run.simulation_id}${run.active ? '' : ' (idle)'}` : `${state.selected}: not live`;
  } else {
    sources = active;
    about = !active.length ? 'no active run' : active.length === 1 ? '1 active run' : `${active.length} active runs`;
  }
  const sampled = sources.filter((r) => r.rolling && r.rolling.samples > 0);
  const seconds = sampled.length ? sampled[0].rolling.window_seconds : 60;
  const sub = `${about}, last ${seconds} s`;
  setField('wait', fmt.number(mean(sampled.map((r) => r.rolling.mean_wait_time)), 1));
  setField('speed', fmt.number(mean(sampled.map((r) => r.rolling.mean_speed)), 1));
  setField('throughput', fmt.number(mean(sampled.map((r) => r.rolling.mean_throughput)), 2));
  for (const f of ['wait-sub', 'speed-sub', 'throughput-sub']) setField(f, sub);

  setField('snapshots', fmt.number(doc.snapshots_committed, 0));
  const run = state.selected && runs.find((r) => r.simulation_id === state.selected);
  setField('snapshots-sub', run
    ? `${run.simulation_id}: ${fmt.number(run.snapshots_committed, 0)}`
    : 'all runs, since server start');
}

function renderRuns(doc) {
  const runs = [...(doc.simulations || [])].sort((a, b) =>
    (b.active - a.active) || a.simulation_id.localeCompare(b.simulation_id));
  const body = $('live-runs').querySelector('tbody');
  body.replaceChildren(...runs.map((r) => el('tr', {
    class: [r.active ? 'active' : 'idle', r.simulation_id === state.selected ? 'selected' : ''].join(' '),
    dataset: { sim: r.simulation_id },
    title: r.active ? 'committed in the last minute' : `idle for ${fmt.duration(r.seconds_since_last_commit)}`,
  },
  el('td', {}, el('span', { class: 'status-dot' }), el('span', { class: 'run-id' }, r.simulation_id),
    r.scenario ? el('span', { class: 'run-scenario' }, r.scenario) : null),
  el('td', {}, modeChip(r.mode)),
  el('td', { class: 'n' }, fmt.number(r.snapshots_committed, 0)),
  el('td', { class: 'n opt' }, fmt.number(r.ingest_rate, 1)),
  el('td', { class: 'n' }, fmt.number(r.rolling && r.rolling.samples > 0 ? r.rolling.mean_wait_time : null, 1)),
  el('td', { class: 'n opt' }, r.latest_timestamp ? fmt.clock(r.latest_timestamp, true) : '–'))));
  panelMessage('panel-runs', runs.length ? '' : 'No simulation has sent data since the server started.');
}

/** The committed snapshots of the runs the charts show, by the live view. */
function chartedCommits(doc) {
  return (doc.simulations || [])
    .filter((r) => !state.selected || r.simulation_id === state.selected ||
      (state.scenario && r.scenario === state.scenario))
    .reduce((n, r) => n + r.snapshots_committed, 0);
}

function onLive(doc) {
  state.live = doc;
  renderCards(doc);
  renderRuns(doc);
  $('updated').textContent = `updated ${new Date().toLocaleTimeString('en-GB')}`;
  if ((doc.simulations || []).some((r) => !state.byId.has(r.simulation_id))) reloadSimulationsSoon();
  const commits = chartedCommits(doc);
  // The automatic bucket depends on the runs' intersections, which the live view tells.
  const rebucket = state.bucket === 'auto' && state.trendBucket &&
    autoBucket(chartedRuns()) !== state.trendBucket;
  if (state.chartedCommits === null) state.chartedCommits = commits;
  if (rebucket || (commits !== state.chartedCommits && Date.now() - state.chartsLoadedAt >= CHART_MIN_GAP_MS))
    refreshCharts();
}

// ---------------------------------------------------------------- charts and tables

function autoBucket(runs) {
  const intersections = new Map(((state.live && state.live.simulations) || [])
    .map((r) => [r.simulation_id, r.intersections]));
  let want = 1;
  for (const r of runs) {
    const span = (Date.parse(r.last_timestamp) - Date.parse(r.first_timestamp)) / 1000;
    if (!(span > 0)) continue;
    const ticks = Math.max(1, Math.ceil(r.snapshots / (intersections.get(r.simulation_id) || 1)) - 1);
    want = Math.max(want, (span / ticks) * 0.75, span / TREND_TARGET_POINTS);
  }
  const found = BUCKETS.find(([seconds]) => seconds >= want);
  return (found || BUCKETS[BUCKETS.length - 1])[1];
}

function chartedRuns() {
  if (state.selected) return state.byId.has(state.selected) ? [state.byId.get(state.selected)] : [];
  return [...state.simulations]
    .sort((a, b) => String(b.last_seen).localeCompare(String(a.last_seen)))
    .slice(0, TREND_MAX_RUNS);
}

async function loadTrend() {
  const runs = chartedRuns();
  if (!runs.length) {
    $('trend-sub').textContent = '';
    return panelMessage('panel-trend', 'No data yet: no simulation has stored a snapshot.');
  }
  const bucket = state.bucket === 'auto' ? autoBucket(runs) : state.bucket;
  state.trendBucket = bucket;
  const trend = await getJson('/api/v1/charts/wait-time-trend', {
    simulation_id: runs.map((r) => r.simulation_id),
    bucket,
  });
  const hasData = trend.labels.length && trend.datasets.some((d) => d.data.some((v) => v !== null));
  const who = state.selected ? state.selected
    : runs.length < state.simulations.length ? `the ${runs.length} latest runs` : 'all runs';
  $('trend-sub').textContent =
    `${who} · mean wait per ${fmt.duration(trend.bucket_seconds)} bucket${state.bucket === 'auto' ? ' (auto)' : ''}` +
    (trend.truncated ? ' · cut to the first 10,000 buckets' : '');
  if (!hasData) return panelMessage('panel-trend', 'No data yet for this selection.');
  const modes = Object.fromEntries(state.simulations.map((r) => [r.simulation_id, r.mode]));
  panelMessage('panel-trend', '');
  chartObjects.trend = charts.drawTrend($('trend-chart'), chartObjects.trend, trend, modes);
}

const VERDICT_TEXT = {
  better: 'AI better',
  worse: 'AI worse',
  ns: 'Not significant',
  untested: 'Too few blocks',
};

/** Returns the p column's text: "0.005", "< 0.001" or "–" (not tested). */
function pCell(p) {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : fmt.number(p, 3);
}

function comparisonRow(m) {
  const f = fmt.figure(m.figure);
  const verdict = charts.verdictOf(m);
  const ci = m.ci95 ? ` [${fmt.signed(m.ci95[0], f.digits)}, ${fmt.signed(m.ci95[1], f.digits)}]` : '';
  return el('tr', { dataset: { figure: m.figure, verdict } },
    el('td', {}, el('span', { class: 'metric' }, f.name), el('span', { class: 'unit-note' }, f.unit)),
    el('td', { class: 'n' }, fmt.number(m.baseline_mean, f.digits)),
    el('td', { class: 'n' }, fmt.number(m.ai_mean, f.digits)),
    el('td', { class: 'n' }, el('strong', {}, fmt.signed(m.difference, f.digits)), el('span', { class: 'ci' }, ci)),
    el('td', { class: 'n' }, pCell(m.p_value)),
    el('td', {}, el('span', { class: `chip verdict-${verdict}` }, VERDICT_TEXT[verdict])));
}

function comparisonHeadline(metrics) {
  const by = { better: [], worse: [], ns: [], untested: [] };
  for (const m of metrics) by[charts.verdictOf(m)].push(fmt.figure(m.figure).name.toLowerCase());
  const parts = [];
  if (by.better.length) parts.push(el('span', { class: 'verdict-better-text' }, `AI better on ${by.better.length} of ${metrics.length}: ${by.better.join(', ')}`));
  if (by.worse.length) parts.push(el('span', { class: 'verdict-worse-text' }, `AI worse: ${by.worse.join(', ')}`));
  if (by.ns.length) parts.push(el('span', { class: 'verdict-ns-text' }, `no significant difference: ${by.ns.join(', ')}`));
  if (by.untested.length) parts.push(el('span', { class: 'verdict-ns-text' }, `not enough blocks: ${by.untested.join(', ')}`));
  if (parts.length) parts[0].textContent = parts[0].textContent.replace(/^./, (c) => c.toUpperCase());
  const out = [];
  parts.forEach((p, i) => { if (i) out.push(' · '); out.push(p); });
  return out;
}

async function loadComparison() {
  const table = $('comparison-table').querySelector('tbody');
  if (!state.scenario) {
    $('comparison-sub').textContent = '';
    $('comparison-headline').replaceChildren();
    table.replaceChildren();
    return panelMessage('panel-comparison',
      'No scenario yet: tag runs with a scenario (and mode baseline or ai) to compare them.');
  }
  const doc = await getJson('/api/v1/analytics/comparison/baseline-vs-ai', { scenario: state.scenario });
  const sides = `${doc.baseline.runs.length} baseline vs ${doc.ai.runs.length} AI run${doc.ai.runs.length === 1 ? '' : 's'}`;
  $('comparison-sub').textContent =
    `scenario ${state.scenario} · ${sides} · ${fmt.duration(doc.block_seconds)} blocks · Welch's t-test, 95% CI`;
  const missing = !doc.baseline.snapshots ? 'baseline' : !doc.ai.snapshots ? 'AI' : '';
  if (missing || !doc.metrics || !doc.metrics.length) {
    $('comparison-headline').replaceChildren();
    table.replaceChildren();
    return panelMessage('panel-comparison',
      `No data yet: scenario "${state.scenario}" has no ${missing || 'comparable'} run to compare.`);
  }
  panelMessage('panel-comparison', '');
  $('comparison-headline').replaceChildren(...comparisonHeadline(doc.metrics));
  table.replaceChildren(...doc.metrics.map(comparisonRow));
  chartObjects.comparison = charts.drawComparison($('comparison-chart'), chartObjects.comparison, doc);
}

async function loadScatter() {
  const doc = await getJson('/api/v1/charts/performance-scatter', { scenario: state.scenario });
  const points = (doc.points || []).filter((p) => p.x !== null && p.y !== null);
  $('scatter-sub').textContent = `${state.scenario ? `scenario ${state.scenario}` : 'all runs'} · better: up and to the left`;
  if (!points.length) return panelMessage('panel-scatter', 'No data yet for this scenario.');
  panelMessage('panel-scatter', '');
  chartObjects.scatter = charts.drawScatter($('scatter-chart'), chartObjects.scatter, doc, state.selected);
}

function stat(label, value, kind = '') {
  return el('div', { class: `stat ${kind}` }, el('span', { class: 'stat-value' }, value), el('span', { class: 'stat-label' }, label));
}

async function loadEmergency() {
  const doc = await getJson('/api/v1/analytics/emergency-report', { simulation_id: state.selected });
  const t = doc.totals || {};
  $('emergency-sub').textContent = `${state.selected || 'all runs'} · time from an emergency vehicle's arrival to a green lamp`;
  const never = (t.episodes || 0) - (t.episodes_with_green || 0);
  $('emergency-stats').replaceChildren(
    stat('episodes', fmt.number(t.episodes ?? 0, 0)),
    stat('mean to green', fmt.duration(t.mean_time_to_green_seconds)),
    stat('max to green', fmt.duration(t.max_time_to_green_seconds)),
    stat('never green', fmt.number(never, 0), never > 0 ? 'bad' : ''),
    stat('overrides', fmt.number(t.overrides ?? 0, 0)));
  const episodes = [...(doc.episodes || [])].reverse().slice(0, EMERGENCY_ROWS);
  const body = $('emergency-table').querySelector('tbody');
  body.replaceChildren(...episodes.map((e) => el('tr', {},
    el('td', {}, fmt.dateTime(e.start)),
    el('td', {}, e.simulation_id),
    el('td', {}, `${e.intersection_id} `, el('span', { class: 'muted' }, e.direction)),
    el('td', { class: 'n opt' }, fmt.duration(e.duration_seconds)),
    el('td', { class: 'n' }, e.time_to_green_seconds === null
      ? el('span', { class: 'chip verdict-worse' }, 'never')
      : fmt.duration(e.time_to_green_seconds)))));
  panelMessage('panel-emergency', episodes.length ? ''
    : `No emergency vehicle episodes${state.selected ? ` in ${state.selected}` : ''} yet.`);
}

async function guarded(panelId, load) {
  try {
    await load();
  } catch (err) {
    if (err instanceof AuthError) askForKey(err.message);
    else panelMessage(panelId, errorText(err), 'error');
  }
}

async function refreshCharts() {
  if (state.needKey || !window.Chart) return;
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  state.refreshing = true;
  if (state.live) state.chartedCommits = chartedCommits(state.live);
  try {
    await Promise.all([
      guarded('panel-trend', loadTrend),
      guarded('panel-comparison', loadComparison),
      guarded('panel-scatter', loadScatter),
      guarded('panel-emergency', loadEmergency),
    ]);
  } finally {
    state.refreshing = false;
    state.chartsLoadedAt = Date.now();
    if (state.refreshAgain) {
      state.refreshAgain = false;
      refreshCharts();
    }
  }
}

// ---------------------------------------------------------------- start

async function boot() {
  try {
    await loadSimulations();
  } catch (err) {
    if (err instanceof AuthError) return askForKey(err.message);
    // The server may be starting or the database down: the feed shows the state, the timers retry.
  }
  feed.start();
  refreshCharts();
}

function main() {
  if (!window.Chart) {
    for (const id of ['panel-trend', 'panel-comparison', 'panel-scatter'])
      panelMessage(id, 'The chart library (/dashboard/chart.umd.js) did not load: see the server log.', 'error');
  } else {
    charts.setUpTheme();
    charts.followWindowSize(() => Object.values(chartObjects));
  }
  restoreSelection();
  bindPickers();
  bindKeyForm();
  feed = new LiveFeed({ onData: onLive, onState: showConnection });
  boot();
  setInterval(() => {
    if (!state.needKey && Date.now() - state.chartsLoadedAt >= CHART_REFRESH_MS - 500) refreshCharts();
  }, 1000);
  setInterval(() => {
    if (!state.needKey) loadSimulations().catch(() => {});
  }, SIMULATIONS_REFRESH_MS);
}

main();
