// The dashboard's poll loop: every `interval` ms (2000, or ?interval= in the page's URL) it reads the
// answering node's JSON endpoints and /metrics and redraws. A request that needs credentials opens the
// sign-in dialog; a node that stops answering leaves the last view on screen, marked as stale.
import { AuthRequired, get, hasCredentials, setCredentials } from './api.js';
import { LiveChart, KeyedChart } from './charts.js';
import { ClusterTotals, fillTotals } from './cluster.js';
import { bytes, shortId } from './format.js';
import { Scrapes, parse as parseMetrics } from './metrics.js';
import { fillCompactions, fillHints, fillRepairs, fillStreams, fillTables } from './operations.js';
import { colours, describeChange, drawRing, fillNodes } from './ring.js';

const params = new URLSearchParams(location.search);
const INTERVAL_MS = Math.max(250, Number(params.get('interval')) || 2000);
const $ = id => document.getElementById(id);

const rateFmt = v => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const msFmt = v => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));
const charts = {
  rates: new LiveChart($('chart-rates'), [
    { label: 'reads/s', stroke: '#4f8cc9' },
    { label: 'writes/s', stroke: '#e8b04a' },
    { label: 'HTTP requests/s', stroke: '#59a96a', dash: [5, 4] }], rateFmt),
  latency: new LiveChart($('chart-latency'), [
    { label: 'read p50', stroke: '#9cc0e6' },
    { label: 'read p99', stroke: '#4f8cc9' },
    { label: 'write p50', stroke: '#f1d08f' },
    { label: 'write p99', stroke: '#d9912b' }], msFmt),
  load: new KeyedChart($('chart-load'), v => bytes(v), shortId),
};
const scrapes = new Scrapes(30);
const totals = new ClusterTotals(30);

let signingIn = false;
// Bumped at each sign-in: a poll that started before it (its requests sent without the new credentials)
// must not reopen the dialog when its 401s arrive late.
let signIns = 0;

function setConnection(state, text, title = '') {
  const c = $('connection');
  c.dataset.state = state;
  c.textContent = text;
  c.title = title;
}

function askForCredentials(retry) {
  if (signingIn) return;
  signingIn = true;
  $('login-message').textContent = retry ? 'Those credentials were refused; try again.' : 'This node requires authentication.';
  $('login').showModal();
}

$('login-form').addEventListener('submit', () => {
  const f = $('login-form');
  setCredentials(f.elements.user.value, f.elements.password.value);
  f.elements.password.value = '';
  signingIn = false;
  signIns++;
  poll(false);
});

/** Each part of the page from its own endpoint: one failing endpoint does not blank the others. */
const parts = [
  { path: '/v1/admin/tables', show: t => fillTables($('tables'), t) },
  { path: '/v1/admin/compactions', show: c => fillCompactions($('compactions'), $('compaction-summary'), c) },
  { path: '/v1/admin/hints', show: h => fillHints($('hints'), h) },
  { path: '/v1/admin/streams', show: s => fillStreams($('streams'), s) },
  { path: '/v1/admin/repairs', show: r => fillRepairs($('repairs'), r) },
];

function showCluster(cluster, now) {
  const colourOf = colours(cluster.nodes);
  drawRing($('ring'), cluster, colourOf);
  fillNodes($('nodes'), cluster, colourOf);
  $('topology-change').textContent = describeChange(cluster.topology_change);
  const up = cluster.nodes.filter(n => n.state.startsWith('U')).length;
  $('summary').textContent = `answering node ${shortId(cluster.node)} · ${up}/${cluster.nodes.length} up · `
    + `epoch ${cluster.epoch ?? '?'} · ring version ${cluster.ring_version} · schema `
    + (cluster.schema_agreement ? 'in agreement' : 'DISAGREEMENT');
  $('charts-node').textContent = `(node ${shortId(cluster.node)}; load of every node)`;
  const load = new Map();
  for (const n of cluster.nodes) if (n.load !== null && n.load !== undefined) load.set(n.id, n.load);
  charts.load.push(now, load, colourOf);
}

function showMetrics(text, now) {
  scrapes.add(now, parseMetrics(text));
  charts.rates.push(now, [
    scrapes.rate('sibyl_read_latency_seconds_count'),
    scrapes.rate('sibyl_write_latency_seconds_count'),
    scrapes.rate('sibyl_http_requests_seconds_count')]);
  const ms = v => (v === null ? null : v * 1000);
  charts.latency.push(now, [
    ms(scrapes.quantile('sibyl_read_latency_seconds', 0.5)),
    ms(scrapes.quantile('sibyl_read_latency_seconds', 0.99)),
    ms(scrapes.quantile('sibyl_write_latency_seconds', 0.5)),
    ms(scrapes.quantile('sibyl_write_latency_seconds', 0.99))]);
}

async function poll(schedule = true) {
  const now = Date.now();
  const signInsAtStart = signIns;
  const requests = [
    { path: '/v1/cluster', show: c => showCluster(c, now) },
    { path: '/metrics', text: true, show: m => showMetrics(m, now) },
    ...parts];
  const results = await Promise.allSettled(requests.map(r => get(r.path, { text: r.text, timeoutMs: Math.max(3000, INTERVAL_MS) })));
  const errors = [];
  let needsAuth = false;
  results.forEach((res, i) => {
    if (res.status === 'fulfilled') {
      try {
        requests[i].show(res.value);
      } catch (e) {
        errors.push(`${requests[i].path}: ${e.message}`);
        console.error(requests[i].path, e);
      }
    } else if (res.reason instanceof AuthRequired) {
      needsAuth = true;
    } else {
      errors.push(res.reason?.message ?? String(res.reason));
    }
  });
  // the cluster's totals need the live nodes (from /v1/cluster) and each one's metrics: a second step
  if (results[0].status === 'fulfilled' && !needsAuth) {
    try {
      const t = await totals.update(results[0].value, now, results[1].status === 'fulfilled' ? results[1].value : null,
        path => get(path, { text: true, timeoutMs: Math.max(3000, INTERVAL_MS) }));
      fillTotals($('cluster-totals'), $('node-rates'), t);
    } catch (e) {
      errors.push(`cluster totals: ${e.message}`);
      console.error('cluster totals', e);
    }
  }
  const time = new Date(now).toLocaleTimeString();
  if (needsAuth && signInsAtStart !== signIns) {
    // stale: sent before the last sign-in; the poll after it tells
  } else if (needsAuth) {
    setConnection('error', 'sign-in needed');
    askForCredentials(hasCredentials());
  } else if (results[0].status === 'rejected') {
    setConnection('error', `node unreachable since ${time}`, errors.join('\n'));
  } else {
    setConnection(errors.length ? 'error' : 'live', `live · ${time}`, errors.join('\n'));
  }
  document.body.dataset.polls = String(Number(document.body.dataset.polls ?? 0) + 1);
  if (schedule) setTimeout(poll, INTERVAL_MS);
}

poll();
