// The dashboard's Chart.js charts: theme, two small plugins (confidence-interval whiskers and
// point labels) and one function per chart that creates it or updates it in place.
import * as fmt from './format.js';

const { Chart } = window;

/** One colour per run mode, the same in every chart, card and table. */
export const MODE_COLOURS = {
  baseline: ['#5b9bf8', '#8cbcff', '#3c78d8', '#b5d3ff', '#2a5cad'],
  ai: ['#f5a524', '#ffc766', '#d9820b', '#ffdc9e', '#b36a05'],
  untagged: ['#a3afc2', '#c9d2df', '#7d8aa0', '#e0e6ee', '#5f6b80'],
};

/** Colours of a comparison verdict. */
export const VERDICT_COLOURS = {
  better: '#34c77b',
  worse: '#f0606b',
  ns: '#7c8aa0',
  untested: '#4a5568',
};

const TEXT = '#c7d2e2';
const GRID = 'rgba(148, 163, 184, 0.16)';
const ZERO_LINE = 'rgba(226, 232, 240, 0.55)';

/** Returns the key of MODE_COLOURS for a run's mode. */
export function modeKey(mode) {
  return mode === 'ai' || mode === 'baseline' ? mode : 'untagged';
}

/** Returns the `n`-th shade of a mode's colour (n-th run of that mode in one chart). */
export function modeColour(mode, n = 0) {
  const shades = MODE_COLOURS[modeKey(mode)];
  return shades[n % shades.length];
}

function withAlpha(hex, alpha) {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

// Draws each bar's 95% confidence interval (dataset.intervals[i] = [low, high] in the value
// axis' units, or null) as a whisker across the bar, along a horizontal bar chart.
const intervalWhiskers = {
  id: 'intervalWhiskers',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const scale = chart.scales.x;
    chart.data.datasets.forEach((dataset, d) => {
      if (!dataset.intervals || !chart.isDatasetVisible(d)) return;
      const meta = chart.getDatasetMeta(d);
      meta.data.forEach((bar, i) => {
        const interval = dataset.intervals[i];
        if (!interval) return;
        const lo = scale.getPixelForValue(interval[0]);
        const hi = scale.getPixelForValue(interval[1]);
        const cap = Math.max(5, Math.min(12, bar.height * 0.35));
        ctx.save();
        ctx.strokeStyle = '#e6edf6';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(lo, bar.y);
        ctx.lineTo(hi, bar.y);
        ctx.moveTo(lo, bar.y - cap);
        ctx.lineTo(lo, bar.y + cap);
        ctx.moveTo(hi, bar.y - cap);
        ctx.lineTo(hi, bar.y + cap);
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

// Writes each point's `label` next to it when a scatter chart has few points.
const pointLabels = {
  id: 'pointLabels',
  afterDatasetsDraw(chart, _args, options) {
    const total = chart.data.datasets.reduce((n, d) => n + d.data.length, 0);
    if (!options || !options.enabled || total > (options.max || 16)) return;
    const { ctx } = chart;
    ctx.save();
    ctx.font = `600 ${Math.round(Chart.defaults.font.size * 0.95)}px ${Chart.defaults.font.family}`;
    ctx.fillStyle = TEXT;
    ctx.textBaseline = 'middle';
    chart.data.datasets.forEach((dataset, d) => {
      if (!chart.isDatasetVisible(d)) return;
      chart.getDatasetMeta(d).data.forEach((point, i) => {
        const label = dataset.data[i] && dataset.data[i].label;
        if (!label) return;
        const right = point.x + 12 + ctx.measureText(label).width < chart.chartArea.right;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.fillText(label, point.x + (right ? 12 : -12), point.y);
      });
    });
    ctx.restore();
  },
};

/** Sets the look shared by every chart; call once, before creating any. */
export function setUpTheme() {
  Chart.register(intervalWhiskers, pointLabels);
  Chart.defaults.color = TEXT;
  Chart.defaults.borderColor = GRID;
  Chart.defaults.font.family =
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif';
  Chart.defaults.font.size = fontSize();
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation.duration = 350;
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.legend.labels.boxHeight = 8;
  Chart.defaults.plugins.tooltip.backgroundColor = 'rgba(10, 15, 25, 0.94)';
  Chart.defaults.plugins.tooltip.borderColor = 'rgba(148, 163, 184, 0.35)';
  Chart.defaults.plugins.tooltip.borderWidth = 1;
  Chart.defaults.plugins.tooltip.padding = 10;
  if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches)
    Chart.defaults.animation = false;
}

/** Returns the chart font size for the window: larger on a wall screen. */
export function fontSize() {
  const w = window.innerWidth;
  return w >= 2500 ? 18 : w >= 1800 ? 14 : 12;
}

/** Follows the window size with the charts' font size (charts resize themselves). */
export function followWindowSize(charts) {
  let current = fontSize();
  window.addEventListener('resize', () => {
    const size = fontSize();
    if (size === current) return;
    current = size;
    Chart.defaults.font.size = size;
    for (const c of charts()) if (c) c.update('none');
  });
}

function axisTitle(text) {
  return { display: true, text, color: '#93a3ba', font: { weight: '600' } };
}

/** Returns the bucket labels of a trend as clock times (dates too when they span days). */
function timeLabels(labels, bucketSeconds) {
  const days = new Set(labels.map((l) => String(l).slice(0, 10)));
  // Seconds only when a label has some (sub-minute buckets of data that is not minute-aligned).
  const seconds = bucketSeconds < 60 && labels.some((l) => !String(l).endsWith(':00Z'));
  return labels.map((l) => {
    const time = fmt.clock(l, seconds);
    return days.size > 1 ? `${String(l).slice(5, 10)} ${time}` : time;
  });
}

/**
 * Creates or updates the wait-time trend from a /charts/wait-time-trend answer. `modes`
 * maps simulation ids to their mode (for colours). Returns the chart.
 */
export function drawTrend(canvas, chart, trend, modes) {
  const seen = {};
  const datasets = trend.datasets.map((d) => {
    const mode = modes[d.label];
    const key = modeKey(mode);
    const colour = modeColour(mode, (seen[key] = (seen[key] ?? -1) + 1));
    return {
      label: d.label,
      data: d.data,
      mode,
      borderColor: colour,
      backgroundColor: withAlpha(colour, 0.18),
      pointBackgroundColor: colour,
      borderWidth: 2.5,
      pointRadius: d.data.length > 60 ? 0 : 3,
      pointHoverRadius: 6,
      tension: 0.25,
      spanGaps: true,
      fill: trend.datasets.length === 1 ? 'origin' : false,
    };
  });
  const labels = timeLabels(trend.labels, trend.bucket_seconds);
  if (chart) {
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.update('none');
    return chart;
  }
  return new Chart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { title: axisTitle('Simulation time (UTC)'), ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { title: axisTitle('Mean wait (s)'), beginAtZero: true },
      },
      plugins: {
        legend: {
          position: 'top',
          align: 'end',
          labels: {
            generateLabels(c) {
              const items = Chart.defaults.plugins.legend.labels.generateLabels(c);
              for (const item of items) {
                const mode = c.data.datasets[item.datasetIndex].mode;
                item.text = `${item.text} · ${fmt.modeName(mode)}`;
              }
              return items;
            },
          },
        },
        tooltip: {
          callbacks: {
            label: (ctx) => ` ${ctx.dataset.label}: ${fmt.number(ctx.parsed.y, 1)} s`,
          },
        },
      },
    },
  });
}

/** Returns the verdict of one compared metric: better, worse, ns (not significant), untested. */
export function verdictOf(m) {
  if (!m.ci95 || m.p_value === null || m.p_value === undefined) return 'untested';
  if (m.ai_better) return 'better';
  const [lo, hi] = m.ci95;
  const lowerIsBetter = m.better_when === 'lower';
  if ((lowerIsBetter && lo > 0) || (!lowerIsBetter && hi < 0)) return 'worse';
  return 'ns';
}

/** Returns x as a percentage of the baseline mean, or null when that is 0 or unknown. */
function percentOf(x, base) {
  if (x === null || x === undefined || !base) return null;
  return (x / Math.abs(base)) * 100;
}

/**
 * Creates or updates the baseline-vs-AI chart from a /comparison/baseline-vs-ai answer: per
 * metric, the AI's change against the baseline mean in percent, with the 95% interval as
 * whiskers, coloured by verdict. Returns the chart.
 */
export function drawComparison(canvas, chart, comparison) {
  const metrics = comparison.metrics;
  const labels = metrics.map((m) => fmt.figure(m.figure).name);
  const data = metrics.map((m) => percentOf(m.difference, m.baseline_mean));
  const intervals = metrics.map((m) =>
    m.ci95 && m.baseline_mean ? m.ci95.map((v) => percentOf(v, m.baseline_mean)) : null);
  const colours = metrics.map((m) => VERDICT_COLOURS[verdictOf(m)]);
  // The axis spans every bar and whisker, and 0, with a little room.
  const values = [0, ...data.filter((v) => v !== null), ...intervals.flat().filter((v) => v !== null)];
  const span = Math.max(...values) - Math.min(...values) || 10;
  const min = Math.min(...values) - span * 0.04;
  const max = Math.max(...values) + span * 0.04;
  const dataset = {
    label: 'AI vs baseline (%)',
    data,
    intervals,
    metrics,
    backgroundColor: colours.map((c) => withAlpha(c, 0.75)),
    borderColor: colours,
    borderWidth: 1.5,
    borderRadius: 4,
    barPercentage: 0.62,
    categoryPercentage: 0.9,
  };
  if (chart) {
    chart.data.labels = labels;
    chart.data.datasets = [dataset];
    chart.options.scales.x.suggestedMin = min;
    chart.options.scales.x.suggestedMax = max;
    chart.update('none');
    return chart;
  }
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [dataset] },
    options: {
      indexAxis: 'y',
      scales: {
        x: {
          suggestedMin: min,
          suggestedMax: max,
          title: axisTitle('AI − baseline, % of the baseline mean · whiskers: 95% CI'),
          ticks: { callback: (v) => `${fmt.signed(v, 0)}%` },
          grid: {
            color: (ctx) => (ctx.tick && ctx.tick.value === 0 ? ZERO_LINE : GRID),
            lineWidth: (ctx) => (ctx.tick && ctx.tick.value === 0 ? 2 : 1),
          },
        },
        y: {
          grid: { display: false },
          ticks: {
            autoSkip: false,
            font: { weight: '600' },
            // Which way is good, when the chart is tall enough for a second line.
            callback(value, index) {
              const m = this.chart.data.datasets[0].metrics[index];
              const name = this.getLabelForValue(value);
              return m && this.chart.height >= 190 ? [name, `(${m.better_when} is better)`] : name;
            },
          },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => fmt.figure(items[0].dataset.metrics[items[0].dataIndex].figure).name,
            label: (ctx) => {
              const m = ctx.dataset.metrics[ctx.dataIndex];
              const f = fmt.figure(m.figure);
              const ci = m.ci95
                ? `[${fmt.signed(m.ci95[0], f.digits)}, ${fmt.signed(m.ci95[1], f.digits)}]`
                : 'n/a';
              return [
                ` difference ${fmt.signed(m.difference, f.digits)} ${f.unit} (${fmt.signed(ctx.parsed.x, 1)}%)`,
                ` 95% CI ${ci} ${f.unit}`,
                ` ${fmt.pValue(m.p_value)}`,
              ];
            },
          },
        },
      },
    },
  });
}

/**
 * Creates or updates the performance scatter from a /charts/performance-scatter answer: one
 * dataset per mode. `selected` (a simulation id or '') is drawn larger. Returns the chart.
 */
export function drawScatter(canvas, chart, scatter, selected) {
  const groups = [
    ['baseline', 'Baseline'],
    ['ai', 'AI'],
    ['untagged', 'Untagged'],
  ];
  const datasets = groups
    .map(([key, name]) => {
      const points = scatter.points.filter((p) => modeKey(p.mode) === key && p.x !== null && p.y !== null);
      const colour = modeColour(key);
      return {
        label: name,
        data: points.map((p) => ({ x: p.x, y: p.y, label: p.label, simulation_id: p.simulation_id })),
        backgroundColor: withAlpha(colour, 0.85),
        borderColor: points.map((p) => (p.simulation_id === selected ? '#ffffff' : colour)),
        borderWidth: points.map((p) => (p.simulation_id === selected ? 3 : 1)),
        pointRadius: points.map((p) => (p.simulation_id === selected ? 10 : 7)),
        pointHoverRadius: 11,
      };
    })
    .filter((d) => d.data.length > 0);
  if (chart) {
    chart.data.datasets = datasets;
    chart.update('none');
    return chart;
  }
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      layout: { padding: { right: 8, top: 4 } },
      scales: {
        x: { title: axisTitle('Mean wait (s)'), grace: '8%' },
        y: { title: axisTitle('Throughput (veh/s of green)'), grace: '8%' },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        pointLabels: { enabled: true, max: 16 },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              ` ${ctx.raw.label}: wait ${fmt.number(ctx.raw.x, 1)} s, throughput ${fmt.number(ctx.raw.y, 2)}`,
          },
        },
      },
    },
  });
}
