// Live line charts over the last minutes, drawn by the vendored uPlot (window.uPlot).
const WINDOW_SECONDS = 300;

export class LiveChart {
  /** `series`: [{label, stroke, dash?}]; `value` formats the y axis. */
  constructor(target, series, value = v => v) {
    this.target = target;
    this.value = value;
    this.times = [];
    this.columns = series.map(() => []);
    this.build(series);
    this.resize = new ResizeObserver(() => this.plot.setSize(this.size()));
    this.resize.observe(target);
  }

  destroy() {
    this.resize.disconnect();
    this.plot.destroy();
  }

  size() {
    return { width: Math.max(300, this.target.clientWidth), height: 200 };
  }

  build(series) {
    this.series = series;
    this.target.replaceChildren();
    const value = this.value;
    this.plot = new uPlot({
      ...this.size(),
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max ?? 0, 1e-9) * 1.1] } },
      axes: [{}, { size: 70, values: (u, ticks) => ticks.map(value) }],
      series: [{}, ...series.map(s => ({ label: s.label, stroke: s.stroke, width: 2, dash: s.dash, spanGaps: false,
        points: { show: false },
        value: (u, v) => (v === null || v === undefined ? '–' : value(v)) }))],
    }, [this.times, ...this.columns], this.target);
  }

  /** One point per series at `timeMs` (null for a gap). */
  push(timeMs, values) {
    this.times.push(timeMs / 1000);
    values.forEach((v, i) => this.columns[i].push(v));
    while (this.times.length && this.times[0] < timeMs / 1000 - WINDOW_SECONDS) {
      this.times.shift();
      this.columns.forEach(c => c.shift());
    }
    this.plot.setData([this.times, ...this.columns]);
  }
}

/** A chart whose series are keyed (e.g. one per node) and may come and go; history follows the key. */
export class KeyedChart {
  constructor(target, value, label = k => k) {
    this.target = target;
    this.value = value;
    this.label = label;
    this.keys = [];
    this.history = new Map(); // key -> values aligned with times
    this.times = [];
    this.chart = null;
    this.colourOf = new Map();
  }

  push(timeMs, valuesByKey, colourOf) {
    this.colourOf = colourOf;
    const keys = [...valuesByKey.keys()].sort();
    this.times.push(timeMs);
    for (const k of keys) if (!this.history.has(k)) this.history.set(k, this.times.slice(0, -1).map(() => null));
    for (const [k, col] of this.history) col.push(valuesByKey.has(k) ? valuesByKey.get(k) : null);
    while (this.times.length && this.times[0] < timeMs - WINDOW_SECONDS * 1000) {
      this.times.shift();
      this.history.forEach(col => col.shift());
    }
    const all = [...this.history.keys()].sort();
    if (!this.chart || all.join() !== this.keys.join()) {
      this.chart?.destroy();
      this.keys = all;
      this.chart = new LiveChart(this.target, all.map(k => ({ label: this.label(k), stroke: this.colourOf.get(k) ?? '#888' })), this.value);
    }
    this.chart.times = this.times.map(t => t / 1000);
    this.chart.columns = all.map(k => this.history.get(k));
    this.chart.plot.setData([this.chart.times, ...this.chart.columns]);
  }
}
