// Number, time and label formatting of the dashboard: one place, so every panel (and the
// browser test, which mirrors these rules) writes a figure the same way.

// A fixed locale: the page reads the same on every machine, and the test can predict it.
const LOCALE = 'en-US';

const formatters = new Map();

/** Returns `value` with exactly `digits` decimals and thousands separators, or "–" when missing. */
export function number(value, digits = 0) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  let f = formatters.get(digits);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(digits, f);
  }
  // Avoid "-0.0" for tiny negative values.
  const text = f.format(value);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/** Returns `value` with a sign ("+1.5", "−2.0"; a true minus sign). */
export function signed(value, digits = 1) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = number(Math.abs(value), digits);
  if (text === number(0, digits)) return text;
  return (value < 0 ? '\u2212' : '+') + text;
}

/** Returns a p-value as engineers read it: "p < 0.001", "p = 0.047", or "not tested". */
export function pValue(p) {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'not tested';
  if (p < 0.001) return 'p < 0.001';
  return 'p = ' + number(p, 3);
}

/** The figures the comparison reports, with their display name, unit and decimals. */
export const FIGURES = {
  wait_time: { name: 'Wait time', unit: 's', digits: 1 },
  speed: { name: 'Speed', unit: 'km/h', digits: 1 },
  throughput: { name: 'Throughput', unit: 'veh/s green', digits: 2 },
  vehicles_passed: { name: 'Vehicles passed', unit: 'veh/tick', digits: 1 },
};

/** Returns the display description of a comparison figure (unknown ones by their key). */
export function figure(key) {
  return FIGURES[key] || { name: String(key).replace(/_/g, ' '), unit: '', digits: 2 };
}

/** Returns "HH:MM" (or "HH:MM:SS" when `seconds`) of an RFC 3339 timestamp, in UTC. */
export function clock(iso, seconds = false) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '–');
  const text = d.toISOString().slice(11, seconds ? 19 : 16);
  return text;
}

/** Returns "YYYY-MM-DD HH:MM" of an RFC 3339 timestamp, in UTC. */
export function dateTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '–');
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

/** Returns a duration in seconds as "45 s", "4 min", "2 min 30 s", "1 h 5 min". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${m} min ${rest} s` : `${m} min`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Returns the display name of a run's mode. */
export function modeName(mode) {
  if (mode === 'ai') return 'AI';
  if (mode === 'baseline') return 'Baseline';
  return 'Untagged';
}
