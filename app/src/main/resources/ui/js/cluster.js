// Cluster-wide totals: every live node's /metrics (this node's directly, the others' through
// GET /v1/cluster/nodes/{id}/metrics on the serving node, which honours authentication and TLS), one
// Scrapes history per node. Rates add up over nodes; a p99 does not, so the cluster shows the largest.
import { bytes, count, el, fillRows, shortId } from './format.js';
import { Scrapes, parse as parseMetrics, sum } from './metrics.js';

const REQUESTS = 'sibyl_coordinator_requests_seconds';

export class ClusterTotals {
  constructor(windowSeconds = 30) {
    this.windowSeconds = windowSeconds;
    this.byNode = new Map();
  }

  /**
   * Reads every live node's metrics (`fetchText(path)`), `selfText` being the serving node's, and returns
   * the totals and the figures of each node. A node that does not answer counts as unknown, not as zero.
   */
  async update(cluster, now, selfText, fetchText) {
    const live = cluster.nodes.filter(n => n.state.startsWith('U'));
    const texts = await Promise.allSettled(live.map(n => (n.id === cluster.node && selfText !== null)
      ? Promise.resolve(selfText)
      : fetchText(`/v1/cluster/nodes/${encodeURIComponent(n.id)}/metrics`)));
    const perNode = [];
    const seen = new Set();
    live.forEach((n, i) => {
      seen.add(n.id);
      let s = this.byNode.get(n.id);
      if (!s) { s = new Scrapes(this.windowSeconds); this.byNode.set(n.id, s); }
      if (texts[i].status !== 'fulfilled') {
        perNode.push({ id: n.id, reachable: false, error: texts[i].reason?.message ?? String(texts[i].reason) });
        return;
      }
      s.add(now, parseMetrics(texts[i].value));
      const warming = s.history.length < 2;
      // a node that has coordinated nothing yet exports no request series: 0/s, no p99 (not "waiting")
      const never = sum(s.latest.samples, `${REQUESTS}_count`) === null;
      perNode.push({
        id: n.id, reachable: true, warming,
        rate: never && !warming ? 0 : s.rate(`${REQUESTS}_count`),
        p99: s.quantile(REQUESTS, 0.99),
        hints: sum(s.latest.samples, 'sibyl_hints_pending'),
      });
    });
    for (const id of [...this.byNode.keys()]) if (!seen.has(id)) this.byNode.delete(id); // down or gone: start afresh
    const known = perNode.filter(p => p.reachable);
    const rates = known.map(p => p.rate).filter(v => v !== null);
    const p99s = known.map(p => p.p99).filter(v => v !== null);
    const hints = known.map(p => p.hints).filter(v => v !== null);
    const loads = cluster.nodes.map(n => n.load).filter(v => v !== null && v !== undefined && v >= 0);
    return {
      nodes: cluster.nodes.length,
      live: live.length,
      answered: known.length,
      requestsPerSecond: rates.length ? rates.reduce((a, b) => a + b, 0) : null,
      maxP99Seconds: p99s.length ? Math.max(...p99s) : null,
      load: loads.length ? loads.reduce((a, b) => a + b, 0) : null,
      hintsPending: hints.length ? hints.reduce((a, b) => a + b, 0) : null,
      perNode,
    };
  }
}

const rate = v => (v === null ? '…' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ms = (v, warming = false) => (v === null ? (warming ? '…' : '–') : `${(v * 1000).toFixed(v >= 0.01 ? 0 : 2)} ms`);

/** The totals line and the per-node table (rates need two polls: '…' until then). */
export function fillTotals(box, table, t) {
  const item = (id, label, value, title = '') => el('div', { class: 'total', id, title },
    el('span', { class: 'total-value' }, value), el('span', { class: 'total-label' }, label));
  box.replaceChildren(
    item('total-nodes', 'nodes live', `${t.live}/${t.nodes}`, `${t.answered} answered with their metrics`),
    item('total-requests', 'client requests/s', rate(t.requestsPerSecond), 'sum over live nodes of the requests they coordinated'),
    item('total-p99', 'max p99', ms(t.maxP99Seconds, t.perNode.some(p => p.warming)), 'largest coordinator p99 among the live nodes, over the last 30 s'),
    item('total-load', 'total load', t.load === null ? '?' : bytes(t.load), 'sum of every node\'s data on disk'),
    item('total-hints', 'hints pending', t.hintsPending === null ? '?' : count(t.hintsPending), 'sum over live nodes'));
  box.dataset.live = String(t.live);
  box.dataset.answered = String(t.answered);
  fillRows(table, t.perNode.map(p => el('tr', { dataset: { node: p.id } },
    el('td', { title: p.id }, shortId(p.id)),
    p.reachable ? el('td', {}, rate(p.rate)) : el('td', { class: 'error', title: p.error, colspan: 3 }, 'metrics not readable'),
    p.reachable ? el('td', {}, ms(p.p99, p.warming)) : null,
    p.reachable ? el('td', {}, p.hints === null ? '?' : count(p.hints)) : null)), 'no live node');
}
