// Reads the node's Prometheus text (GET /metrics) into what the live charts show: operation rates from
// counters, and latency percentiles over a recent window, from histogram buckets when the node exports
// them (so the percentile is of the window, not of the node's lifetime) or else from summary quantiles.
const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[2]) for (const l of m[2].matchAll(LABEL)) labels[l[1]] = l[2];
    const value = Number(m[3]);
    if (!Number.isNaN(value)) samples.push({ name: m[1], labels, value });
  }
  return samples;
}

export function sum(samples, name) {
  let total = 0;
  let found = false;
  for (const s of samples) if (s.name === name) { total += s.value; found = true; }
  return found ? total : null;
}

/** Cumulative bucket counts by upper bound, summed over every series of the histogram; null if none. */
export function buckets(samples, name) {
  const byLe = new Map();
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return byLe.size === 0 ? null : byLe;
}

/** The q-quantile of the observations between two cumulative bucket snapshots (linear within a bucket). */
export function quantileBetween(older, newer, q) {
  const les = [...newer.keys()].sort((a, b) => a - b);
  const delta = les.map(le => Math.max(0, newer.get(le) - (older?.get(le) ?? 0)));
  const total = delta[delta.length - 1];
  if (!total) return null;
  const rank = q * total;
  for (let i = 0; i < les.length; i++) {
    if (delta[i] >= rank) {
      const lower = i === 0 ? 0 : les[i - 1];
      const upper = les[i] === Infinity ? lower : les[i];
      const below = i === 0 ? 0 : delta[i - 1];
      const inBucket = delta[i] - below;
      return inBucket > 0 ? lower + (upper - lower) * ((rank - below) / inBucket) : upper;
    }
  }
  return les[les.length - 2] ?? null;
}

/** The largest value over series of a summary's quantile (a summary's quantiles do not add up across series). */
export function summaryQuantile(samples, name, q) {
  let max = null;
  for (const s of samples) {
    if (s.name === name && Number(s.labels.quantile) === q && !Number.isNaN(s.value)) {
      max = max === null ? s.value : Math.max(max, s.value);
    }
  }
  return max;
}

/**
 * Successive scrapes: rate(name) is the per-second increase of a counter (summed over series) since the
 * previous scrape; quantile(name, q) covers the observations of about the last `windowSeconds`.
 */
export class Scrapes {
  constructor(windowSeconds = 30) {
    this.windowMs = windowSeconds * 1000;
    this.history = [];
  }

  add(timeMs, samples) {
    this.history.push({ timeMs, samples, buckets: new Map() });
    while (this.history.length > 2 && this.history[1].timeMs <= timeMs - this.windowMs) this.history.shift();
  }

  get latest() { return this.history[this.history.length - 1]; }

  rate(name) {
    if (this.history.length < 2) return null;
    const now = this.latest;
    const before = this.history[this.history.length - 2];
    const a = sum(before.samples, name);
    const b = sum(now.samples, name);
    if (a === null || b === null || b < a) return null; // absent, or the counter restarted
    return (b - a) / ((now.timeMs - before.timeMs) / 1000);
  }

  quantile(name, q) {
    const newer = this.bucketsOf(this.latest, name);
    if (newer) return quantileBetween(this.history.length > 1 ? this.bucketsOf(this.history[0], name) : null, newer, q);
    return summaryQuantile(this.latest.samples, name, q);
  }

  bucketsOf(scrape, name) {
    if (!scrape.buckets.has(name)) scrape.buckets.set(name, buckets(scrape.samples, name));
    return scrape.buckets.get(name);
  }
}
