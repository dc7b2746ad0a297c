// The dashboard's link to the server: JSON requests (with the API key when one is set) and
// the live feed (Server-Sent Events, read by EventSource or by fetch when a key must be sent,
// with polling as the fallback).

const KEY_STORAGE = 'traffic-dashboard.api-key';
const STREAM_PATH = '/api/v1/dashboard/stream';
const LIVE_PATH = '/api/v1/dashboard/live-metrics';

/** How often the fallback asks for the live view. */
const POLL_INTERVAL_MS = 2000;
/** A stream silent this long is taken as broken (the server sends an event every second). */
const STREAM_SILENCE_MS = 5000;
/** While polling, how long to wait before trying the stream again. */
const STREAM_RETRY_MS = 15000;
/** How long a request may take before the page calls the server unreachable. */
const REQUEST_TIMEOUT_MS = 15000;

/** A request refused for want of a (valid) key: 401, or 403 for a key without the scope. */
export class AuthError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
  }
}

/** Any other failed request; `status` 0 means no answer at all. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Returns the stored API key, or ''. */
export function apiKey() {
  try {
    return localStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

/** Stores `key` (or forgets it when empty). */
export function setApiKey(key) {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage may be off (private mode): the key then lasts for this page only.
  }
  sessionKey = key;
}

// The key in use, also when localStorage refuses to keep it.
let sessionKey = apiKey();

function headers(accept) {
  const h = { Accept: accept };
  if (sessionKey) h.Authorization = `Bearer ${sessionKey}`;
  return h;
}

/** Returns the text of an error answer: its {"error":{"message"}} when it has one. */
async function errorText(res) {
  try {
    const doc = await res.json();
    if (doc && doc.error && doc.error.message) return doc.error.message;
  } catch {
    // Not JSON: the status alone says enough.
  }
  return res.statusText || `HTTP ${res.status}`;
}

/** Returns the URL of `path` with `params` (arrays repeated; null/undefined/'' left out). */
export function urlOf(path, params = {}) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) q.append(name, String(v));
  }
  const query = q.toString();
  return query ? `${path}?${query}` : path;
}

/** GETs `path` as JSON. Throws AuthError on 401/403, ApiError on anything else that fails. */
export async function getJson(path, params = {}) {
  let res;
  try {
    res = await fetch(urlOf(path, params), {
      headers: headers('application/json'),
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(0, 'the server does not answer');
  }
  if (res.status === 401 || res.status === 403) throw new AuthError(res.status, await errorText(res));
  if (!res.ok) throw new ApiError(res.status, `${res.status}: ${await errorText(res)}`);
  try {
    return await res.json();
  } catch {
    throw new ApiError(res.status, 'the answer was not JSON');
  }
}

/**
 * Splits Server-Sent Events text into events. Returns [events, rest]: each event is
 * {event, data}; `rest` is the incomplete tail to keep for the next chunk.
 */
export function parseEvents(text) {
  const events = [];
  const blocks = text.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return [events, rest];
}

/**
 * The live view, kept coming: the stream while it works, else polling every 2 s (and the
 * stream tried again now and then). Calls onData(liveMetrics) for every update,
 * onState('connecting'|'live'|'polling'|'offline'|'auth', detail) when the link changes, and
 * never throws.
 */
export class LiveFeed {
  constructor({ onData, onState }) {
    this.onData = onData;
    this.onState = onState;
    this.generation = 0;
    this.source = null;
    this.abort = null;
    this.pollTimer = null;
    this.state = '';
    this.lastStreamEvent = 0;
    this.streamOpenedAt = 0;
    this.streaming = false;
    this.nextStreamTry = 0;
    this.watchdog = null;
  }

  /** (Re)starts the feed, e.g. after the key changed. */
  start() {
    this.stop();
    this.setState('connecting');
    this.openStream();
    this.watchdog = setInterval(() => this.check(), 1000);
  }

  /** Stops everything: stream, polling, timers. */
  stop() {
    this.closeStream();
    this.stopPolling();
    clearInterval(this.watchdog);
    this.watchdog = null;
  }

  setState(state, detail = '') {
    if (state === this.state && detail === this.detail) return;
    this.state = state;
    this.detail = detail;
    this.onState(state, detail);
  }

  openStream() {
    this.closeStream();
    const generation = ++this.generation;
    this.streaming = true;
    this.streamOpenedAt = Date.now();
    if (sessionKey) this.readStreamWithFetch(generation);
    else this.readStreamWithEventSource(generation);
  }

  closeStream() {
    this.generation++;
    this.streaming = false;
    if (this.source) this.source.close();
    this.source = null;
    if (this.abort) this.abort.abort();
    this.abort = null;
  }

  /** A live event from the stream of `generation` (stale streams are ignored). */
  streamEvent(generation, data) {
    if (generation !== this.generation) return;
    let doc;
    try {
      doc = JSON.parse(data);
    } catch {
      return;
    }
    this.lastStreamEvent = Date.now();
    this.stopPolling();
    this.setState('live');
    this.onData(doc);
  }

  /** The stream of `generation` failed or ended: poll until it works again. */
  streamFailed(generation) {
    if (generation !== this.generation) return;
    this.closeStream();
    this.nextStreamTry = Date.now() + STREAM_RETRY_MS;
    this.startPolling();
  }

  readStreamWithEventSource(generation) {
    const source = new EventSource(STREAM_PATH);
    this.source = source;
    source.addEventListener('live', (e) => this.streamEvent(generation, e.data));
    // EventSource would retry by itself; polling in between keeps the cards moving and finds
    // out whether a key is needed.
    source.onerror = () => this.streamFailed(generation);
  }

  async readStreamWithFetch(generation) {
    const abort = new AbortController();
    this.abort = abort;
    try {
      const res = await fetch(STREAM_PATH, {
        headers: headers('text/event-stream'),
        cache: 'no-store',
        signal: abort.signal,
      });
      if (res.status === 401 || res.status === 403) {
        if (generation === this.generation) this.needKey(res.status, await errorText(res));
        return;
      }
      if (!res.ok || !res.body) throw new ApiError(res.status, 'stream refused');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done || generation !== this.generation) break;
        let events;
        [events, pending] = parseEvents(pending + value);
        for (const e of events) if (e.event === 'live') this.streamEvent(generation, e.data);
      }
      reader.cancel().catch(() => {});
    } catch {
      // Aborted by us, or the connection broke: either way handled below.
    }
    this.streamFailed(generation);
  }

  startPolling() {
    if (this.pollTimer) return;
    this.poll();
    this.pollTimer = setInterval(() => this.poll(), POLL_INTERVAL_MS);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  async poll() {
    try {
      const doc = await getJson(LIVE_PATH);
      // The stream came back while this request was on its way: it has the newer figures.
      if (!this.pollTimer) return;
      this.setState('polling');
      this.onData(doc);
    } catch (err) {
      if (!this.pollTimer) return;
      if (err instanceof AuthError) this.needKey(err.status, err.message);
      else this.setState('offline', err.message);
    }
  }

  needKey(status, message) {
    this.stop();
    this.setState('auth', status === 403 ? `the key lacks the read scope: ${message}` : message);
  }

  check() {
    const now = Date.now();
    if (this.streaming) {
      const since = Math.max(this.lastStreamEvent, this.streamOpenedAt);
      if (now - since > STREAM_SILENCE_MS) this.streamFailed(this.generation);
    } else if (this.pollTimer && now >= this.nextStreamTry) {
      // Keep polling until the new stream delivers its first event.
      this.openStream();
      this.nextStreamTry = now + STREAM_RETRY_MS;
    }
  }
}
