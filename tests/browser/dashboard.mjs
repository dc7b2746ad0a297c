// Drives the live dashboard in real headless Chromium against a running traffic-server that
// holds tests/fixtures/analytics.ndjson: cards, charts, live updates, pickers, console.
//
//   node tests/browser/dashboard.mjs BASE_URL [ARTIFACT_DIR] [--api-key KEY]
//
// Without --api-key the server must not need a key; with it, the server must require one
// (AUTH_REQUIRED) and KEY must have the read and ingest scopes. Screenshots go to ARTIFACT_DIR
// (default build/test-artifacts). playwright-core comes from web/node_modules. Exits non-zero
// with the reasons on any failure.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(REPO, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_BINARY || '/usr/bin/chromium';
// Without the background-networking flags Chromium dials out on its own, and on an offline
// machine those refused connections break the run.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const LAPTOP = { width: 1440, height: 900 };
const WALL = { width: 1920, height: 1080 };
/** The brief: a new run must show on the page within this long. */
const NEW_RUN_WITHIN_MS = 3000;

// ------------------------------------------------------------------ arguments

const args = process.argv.slice(2);
let apiKey = '';
const keyAt = args.indexOf('--api-key');
if (keyAt >= 0) {
  apiKey = args[keyAt + 1] || '';
  args.splice(keyAt, 2);
}
const [baseArg, artifactArg] = args;
if (!baseArg) {
  console.error('usage: node tests/browser/dashboard.mjs BASE_URL [ARTIFACT_DIR] [--api-key KEY]');
  process.exit(2);
}
const BASE = baseArg.replace(/\/+$/, '');
const ARTIFACTS = path.resolve(artifactArg || process.env.TRAFFIC_ARTIFACT_DIR || path.join(REPO, 'build', 'test-artifacts'));

// ------------------------------------------------------------------ the page's formatting
// Mirrors web/dashboard/format.js: en-US, fixed decimals, "–" for no value.

function formatNumber(value, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

function mean(values) {
  const finite = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
}

/** The cards' texts for a live view with no run selected: means over the active runs. */
function expectedCards(live) {
  const sampled = live.simulations.filter((s) => s.active && s.rolling && s.rolling.samples > 0);
  return {
    active: formatNumber(live.active_simulations, 0),
    snapshots: formatNumber(live.snapshots_committed, 0),
    wait: formatNumber(mean(sampled.map((s) => s.rolling.mean_wait_time)), 1),
    speed: formatNumber(mean(sampled.map((s) => s.rolling.mean_speed)), 1),
    throughput: formatNumber(mean(sampled.map((s) => s.rolling.mean_throughput)), 2),
  };
}

// ------------------------------------------------------------------ helpers

const failures = [];
function fail(message) {
  failures.push(message);
  console.error(`FAIL: ${message}`);
}
function ok(message) {
  console.log(`ok: ${message}`);
}

function headers(extra = {}) {
  return apiKey ? { Authorization: `Bearer ${apiKey}`, ...extra } : extra;
}

async function api(pathAndQuery) {
  const res = await fetch(BASE + pathAndQuery, { headers: headers() });
  if (!res.ok) throw new Error(`GET ${pathAndQuery}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Calls `probe` every 100 ms until it returns a truthy value; returns it, or null on timeout. */
async function until(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function cardTexts(page) {
  return page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('.card .num')].map((n) => [n.dataset.field, n.textContent.trim()])));
}

/** Pixel statistics of a canvas: how much is painted, and how much in colour (not grey). */
async function canvasInk(page, id) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return { error: 'no such canvas' };
    const { width, height } = canvas;
    if (!width || !height) return { width, height, painted: 0, coloured: 0 };
    const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    let painted = 0;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      painted++;
      const hi = Math.max(data[i], data[i + 1], data[i + 2]);
      const lo = Math.min(data[i], data[i + 1], data[i + 2]);
      if (data[i + 3] > 100 && hi - lo > 60) coloured++;
    }
    const chart = window.Chart && window.Chart.getChart(canvas);
    // Drawn elements (bars, points) with their on-canvas size.
    const elements = chart ? chart.data.datasets.flatMap((_, d) => chart.getDatasetMeta(d).data) : [];
    return {
      width,
      height,
      painted,
      coloured,
      visible: getComputedStyle(canvas).visibility !== 'hidden',
      datasets: chart ? chart.data.datasets.map((d) => d.label) : null,
      bars: elements.filter((e) => e.base !== undefined && Math.abs(e.x - e.base) >= 2).length,
    };
  }, id);
}

async function trendLabels(page) {
  return page.evaluate(() => {
    const chart = window.Chart && window.Chart.getChart(document.getElementById('trend-chart'));
    return chart ? chart.data.datasets.map((d) => d.label) : null;
  });
}

async function waitForLive(page) {
  const state = await until(async () => {
    const s = await page.getAttribute('#connection', 'data-state');
    return s === 'live' ? s : null;
  }, 8000);
  if (state) ok('the header shows the stream as live');
  else fail(`the connection state did not become "live" (it is "${await page.getAttribute('#connection', 'data-state')}")`);
}

async function checkCards(page) {
  // Stable figures must match exactly as the page formats them (they change only on ingest).
  let last = null;
  const matched = await until(async () => {
    const live = await api('/api/v1/dashboard/live-metrics');
    const want = expectedCards(live);
    const got = await cardTexts(page);
    last = { want, got };
    return Object.keys(want).every((k) => got[k] === want[k]) ? last : null;
  }, 5000);
  if (matched) ok(`cards match the live view: ${JSON.stringify(matched.got)}`);
  else fail(`cards differ from the live view: page ${JSON.stringify(last.got)}, expected ${JSON.stringify(last.want)}`);

  // The ingest rate decays second by second: the page's figure (from an event up to a second
  // old) must lie between the server's figure now and the one from two seconds before.
  const before = (await api('/api/v1/dashboard/live-metrics')).global_ingest_rate;
  await new Promise((r) => setTimeout(r, 2000));
  const text = (await cardTexts(page)).rate;
  const after = (await api('/api/v1/dashboard/live-metrics')).global_ingest_rate;
  const shown = Number(text.replace(/,/g, ''));
  const lo = Math.min(before, after) - 0.05;
  const hi = Math.max(before, after) + 0.05;
  if (/^\d[\d,]*\.\d$/.test(text) && shown >= lo && shown <= hi)
    ok(`ingest rate ${text} snapshots/s lies within the server's ${formatNumber(after, 1)}..${formatNumber(before, 1)}`);
  else fail(`ingest rate card "${text}" is not the server's rate (${before} two seconds ago, ${after} now)`);
}

async function checkCharts(page) {
  for (const id of ['trend-chart', 'comparison-chart', 'scatter-chart']) {
    let ink = null;
    const drawn = await until(async () => {
      ink = await canvasInk(page, id);
      if (!ink.visible || !ink.datasets || !ink.datasets.length) return null;
      // Bars may all be grey (no significant difference): there, painted bars must show.
      const drawn = id === 'comparison-chart'
        ? ink.bars > 0 && ink.painted > 0.03 * ink.width * ink.height
        : ink.coloured > 150;
      return drawn ? ink : null;
    }, 6000);
    if (drawn) ok(`${id} drew ${drawn.painted} of ${drawn.width}x${drawn.height} pixels (${drawn.coloured} in colour), datasets ${JSON.stringify(drawn.datasets)}`);
    else fail(`${id} did not draw: ${JSON.stringify(ink)}`);
  }
}

async function checkTables(page, scenario) {
  const report = await api('/api/v1/analytics/emergency-report');
  const rows = await until(async () => {
    const n = await page.locator('#emergency-table tbody tr').count();
    return n === report.episodes.length ? n : null;
  }, 4000);
  if (rows) ok(`emergency table lists the ${rows} episodes of the report`);
  else fail(`emergency table has ${await page.locator('#emergency-table tbody tr').count()} rows, the report ${report.episodes.length}`);

  const comparison = await api(`/api/v1/analytics/comparison/baseline-vs-ai?scenario=${encodeURIComponent(scenario)}`);
  const expected = comparison.metrics.map((m) => `${m.figure}:${m.ai_better ? 'better' : ''}`);
  let got = null;
  const same = await until(async () => {
    got = await page.evaluate(() => [...document.querySelectorAll('#comparison-table tbody tr')]
      .map((tr) => `${tr.dataset.figure}:${tr.dataset.verdict === 'better' ? 'better' : ''}`));
    return JSON.stringify(got) === JSON.stringify(expected) ? got : null;
  }, 5000);
  if (same) ok(`comparison of "${scenario}" shows the verdicts ${JSON.stringify(got)}`);
  else fail(`comparison of "${scenario}": page ${JSON.stringify(got)}, API ${JSON.stringify(expected)}`);
  const headline = await page.textContent('#comparison-headline');
  const better = comparison.metrics.filter((m) => m.ai_better).length;
  if (better && !headline.includes(`AI better on ${better} of ${comparison.metrics.length}`))
    fail(`comparison headline "${headline}" does not say AI is better on ${better} metrics`);
}

async function postNewRun(page, before) {
  const id = `LIVE_${Date.now().toString(36).toUpperCase()}`;
  const snapshot = {
    simulation_id: id,
    timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    intersection_id: 'INT_LIVE',
    mode: 'ai',
    scenario: 'live-check',
    signals: [{
      direction: 'north',
      vehicle_counts: { car: 6, bus: 1, truck: 0, bike: 2, rickshaw: 0 },
      emergency_vehicle_present: false,
      signal_status: 'GREEN',
      signal_timer: 12,
      vehicles_crossed: 5,
      avg_wait_time: 18.5,
      green_time_allocated: 30,
    }],
    metrics: {
      total_vehicles_passed: 14, avg_wait_time_all_sides: 18.5, throughput: 0.9, avg_speed: 33.0,
      fuel_saved: 0.4, co2_saved: 0.96, emergency_overrides: 0,
    },
  };
  const started = Date.now();
  const res = await fetch(`${BASE}/api/v1/ingest/simulation`, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(snapshot),
  });
  if (res.status !== 201) {
    fail(`posting a snapshot of a new run: ${res.status} ${await res.text()}`);
    return id;
  }
  const want = formatNumber(Number(before.active.replace(/,/g, '')) + 1, 0);
  const shown = await until(async () => {
    const cards = await cardTexts(page);
    const listed = await page.locator(`#live-runs tbody tr[data-sim="${id}"]`).count();
    return cards.active === want && listed === 1;
  }, NEW_RUN_WITHIN_MS + 1000);
  const took = Date.now() - started;
  if (shown && took <= NEW_RUN_WITHIN_MS) ok(`new run ${id} shown after ${took} ms (active simulations ${before.active} -> ${want})`);
  else fail(`new run ${id} not shown within ${NEW_RUN_WITHIN_MS} ms (active card "${(await cardTexts(page)).active}", expected "${want}")`);
  const inPicker = await until(async () => (await page.locator(`#simulation option[value="${id}"]`).count()) === 1, 4000);
  if (inPicker) ok(`new run ${id} appears in the simulation picker`);
  else fail(`new run ${id} missing from the simulation picker`);
  return id;
}

async function chooseSimulation(page, id) {
  const started = Date.now();
  await page.selectOption('#simulation', id);
  const labels = await until(async () => {
    const l = await trendLabels(page);
    return l && l.length === 1 && l[0] === id ? l : null;
  }, 5000);
  if (labels) ok(`choosing ${id} redrew the trend with dataset ${JSON.stringify(labels)} in ${Date.now() - started} ms`);
  else fail(`choosing ${id}: the trend shows ${JSON.stringify(await trendLabels(page))}`);
}

async function chooseScenario(page, scenario) {
  await page.selectOption('#simulation', '');
  await page.selectOption('#scenario', scenario);
  const sub = await until(async () => {
    const text = await page.textContent('#comparison-sub');
    return text.includes(`scenario ${scenario}`) ? text : null;
  }, 5000);
  if (!sub) fail(`choosing scenario ${scenario} did not update the comparison`);
}

/** Waits until no chart animates and the page has been quiet briefly (for screenshots). */
async function settle(page) {
  await page.waitForTimeout(600);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// ------------------------------------------------------------------ the runs

/**
 * Collects console errors, uncaught exceptions, failed requests and error answers into
 * `problems`. `allowStatus` is an HTTP status the run provokes on purpose (its console
 * message included); `allowFailed` matches the URLs of requests it makes fail on purpose.
 */
function watchConsole(page, problems, { allowStatus = 0, allowFailed = null } = {}) {
  const allowed = (text) => allowStatus && new RegExp(`\\b${allowStatus}\\b`).test(text);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed(msg.text())) problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  // Offline by design: nothing but the server itself (and inline data) may be asked for.
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${BASE}/`) && !/^(data|about|blob):/.test(url))
      problems.push(`request outside the server: ${url}`);
  });
  page.on('requestfailed', (req) => {
    if (allowFailed && allowFailed.test(req.url())) return;
    problems.push(`request failed: ${req.method()} ${req.url()}: ${req.failure() && req.failure().errorText}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.status() !== allowStatus)
      problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
  });
}

/** With the stream refused (503), the page must poll, say so, and keep the cards right. */
async function checkPollingFallback(context) {
  const page = await context.newPage();
  const problems = [];
  // Chromium gives up a refused EventSource request as aborted.
  watchConsole(page, problems, { allowStatus: 503, allowFailed: /\/api\/v1\/dashboard\/stream$/ });
  await page.route('**/api/v1/dashboard/stream', (route) => route.fulfill({
    status: 503,
    contentType: 'application/json',
    body: '{"error":{"code":"unavailable","message":"refused by the test"}}',
  }));
  await page.goto(`${BASE}/`, { waitUntil: 'load' });
  const polling = await until(async () =>
    (await page.getAttribute('#connection', 'data-state')) === 'polling', 6000);
  if (polling) ok('with the stream refused the header shows "polling"');
  else fail(`with the stream refused the state is "${await page.getAttribute('#connection', 'data-state')}", not "polling"`);
  let last = null;
  const matched = await until(async () => {
    const want = expectedCards(await api('/api/v1/dashboard/live-metrics'));
    const got = await cardTexts(page);
    last = { want, got };
    return Object.keys(want).every((k) => got[k] === want[k]);
  }, 5000);
  if (matched) ok('polled cards match the live view');
  else fail(`polled cards differ: page ${JSON.stringify(last.got)}, expected ${JSON.stringify(last.want)}`);
  page.removeAllListeners();
  await page.close();
  for (const p of problems) fail(`polling: ${p}`);
}

async function runOpen(context) {
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  watchConsole(page, problems);
  await page.goto(`${BASE}/`, { waitUntil: 'load' });
  await waitForLive(page);
  await checkCards(page);
  await checkCharts(page);
  const scenario = await page.inputValue('#scenario');
  ok(`default scenario is "${scenario}"`);
  await checkTables(page, scenario);

  const before = await cardTexts(page);
  await postNewRun(page, before);

  await chooseSimulation(page, 'RUSH_AI');
  await chooseSimulation(page, 'NIGHT_AI');
  await chooseScenario(page, 'rush');
  await checkTables(page, 'rush');
  await checkCharts(page);

  // /dashboard serves the same page.
  const res = await fetch(`${BASE}/dashboard`);
  if (res.status !== 200 || !(await res.text()).includes('id="trend-chart"')) fail('/dashboard does not serve the dashboard');

  await settle(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  ok(`screenshot ${path.join(ARTIFACTS, 'dashboard.png')} (${LAPTOP.width} wide, full page)`);
  await page.setViewportSize(WALL);
  await page.waitForTimeout(800);
  await checkCharts(page);
  await settle(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-wall.png') });
  ok(`screenshot ${path.join(ARTIFACTS, 'dashboard-wall.png')} (${WALL.width}x${WALL.height})`);

  for (const p of problems) fail(p);
  if (!problems.length) ok('no console errors, uncaught exceptions or failed requests');
  page.removeAllListeners();

  await checkPollingFallback(context);
}

async function runWithKey(context) {
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  // The first requests go out without a key on purpose: their 401 is how the page learns.
  watchConsole(page, problems, { allowStatus: 401 });
  await page.goto(`${BASE}/`, { waitUntil: 'load' });
  const asked = await until(async () => (await page.isVisible('#key-form')) &&
    (await page.getAttribute('#connection', 'data-state')) === 'auth', 6000);
  if (asked) ok('without a key the page asks for one');
  else fail('the page did not ask for an API key');
  await page.fill('#key-input', apiKey);
  await page.click('#key-form button[type="submit"]');
  await waitForLive(page);
  await checkCards(page);
  await checkCharts(page);
  await postNewRun(page, await cardTexts(page));
  for (const p of problems) fail(p);
  page.removeAllListeners();

  // Opened again, the stored key is used from the first request on: no 401 at all. (Leave
  // first, so the old page's stream, cut by the navigation, is not counted.)
  await page.goto('about:blank');
  const again = [];
  watchConsole(page, again);
  await page.goto(`${BASE}/`, { waitUntil: 'load' });
  await waitForLive(page);
  if (await page.isVisible('#key-form')) fail('the stored key was not used when the page was opened again');
  await checkCharts(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-key.png') });
  for (const p of again) fail(`opened again: ${p}`);
  if (!problems.length && !again.length) ok('no console errors beyond the expected 401s');
  page.removeAllListeners();
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`FAIL: ${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`);
    process.exit(1);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
  let context = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: LAPTOP,
      deviceScaleFactor: 1,
      locale: 'en-GB',
      timezoneId: 'UTC',
      timeout: 20000,
    });
    if (apiKey) await runWithKey(context);
    else await runOpen(context);
  } catch (err) {
    fail(`the browser run stopped: ${err && err.stack ? err.stack : err}`);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`\n${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('\nall dashboard checks passed');
}

await main();
