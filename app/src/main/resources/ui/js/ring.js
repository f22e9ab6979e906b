// The ring: every node's tokens drawn on a circle (each token owns the arc back to the previous token,
// its primary range), and the nodes grouped by data center and rack as `nodetool status` lists them.
import { bytes, count, el, fillRows, percent, shortId } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#4f8cc9', '#e8b04a', '#59a96a', '#c45c8b', '#7a6fc9', '#d9733b', '#3fb0b0', '#9c7a4f',
  '#6b8e23', '#b0505c', '#5b6ee1', '#a0a03c'];
const TWO_63 = 2n ** 63n;
const RING_SIZE = 2 ** 64;

/** Stable colours: nodes sorted by id, so every node's page colours the ring alike. */
export function colours(nodes) {
  const ids = nodes.map(n => n.id).sort();
  return new Map(ids.map((id, i) => [id, PALETTE[i % PALETTE.length]]));
}

function angle(token) {
  // tokens are signed 64-bit values as strings: shift to [0, 2^64) and start at 12 o'clock
  const f = Number(BigInt(token) + TWO_63) / RING_SIZE;
  return f * 2 * Math.PI - Math.PI / 2;
}

function point(a, r) {
  return `${(Math.cos(a) * r).toFixed(2)} ${(Math.sin(a) * r).toFixed(2)}`;
}

function arc(from, to, rOuter, rInner) {
  let sweep = to - from;
  if (sweep <= 0) sweep += 2 * Math.PI;
  if (sweep >= 2 * Math.PI - 1e-6) sweep = 2 * Math.PI - 1e-4; // one token owns the whole ring
  const end = from + sweep;
  const large = sweep > Math.PI ? 1 : 0;
  return `M ${point(from, rOuter)} A ${rOuter} ${rOuter} 0 ${large} 1 ${point(end, rOuter)} `
    + `L ${point(end, rInner)} A ${rInner} ${rInner} 0 ${large} 0 ${point(from, rInner)} Z`;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function drawRing(target, cluster, colourOf) {
  const owners = [];
  for (const n of cluster.nodes) for (const t of n.tokens ?? []) owners.push({ token: BigInt(t), text: t, node: n });
  owners.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  const parts = [];
  owners.forEach((o, i) => {
    const prev = owners[(i - 1 + owners.length) % owners.length];
    const down = o.node.state.startsWith('D');
    const path = svg('path', {
      d: arc(angle(prev.text), angle(o.text), 140, 100),
      fill: colourOf.get(o.node.id), 'fill-opacity': down ? 0.3 : 0.9,
      stroke: '#fff', 'stroke-width': 0.6, class: 'range', 'data-node-id': o.node.id,
    });
    path.append(svg('title', {}, `${o.node.id} (${o.node.state}) token ${o.text}`));
    parts.push(path);
  });
  const up = cluster.nodes.filter(n => n.state.startsWith('U')).length;
  parts.push(svg('text', { x: 0, y: -8, 'text-anchor': 'middle', 'font-size': 26, 'font-weight': 700 },
    `${up}/${cluster.nodes.length}`));
  parts.push(svg('text', { x: 0, y: 16, 'text-anchor': 'middle', 'font-size': 12, fill: '#6b7785' }, 'nodes up'));
  parts.push(svg('text', { x: 0, y: 34, 'text-anchor': 'middle', 'font-size': 11, fill: '#6b7785' },
    `${owners.length} tokens`));
  target.replaceChildren(...parts);
}

/** Nodes by dc, then rack, then id; one header row per dc/rack. Each node row links to that node's own /ui. */
export function fillNodes(table, cluster, colourOf) {
  const sorted = [...cluster.nodes].sort((a, b) =>
    a.dc.localeCompare(b.dc) || a.rack.localeCompare(b.rack) || a.id.localeCompare(b.id));
  const rows = [];
  let group = null;
  for (const n of sorted) {
    const g = `Datacenter: ${n.dc} · Rack: ${n.rack}`;
    if (g !== group) {
      group = g;
      rows.push(el('tr', { class: 'group' }, el('td', { colspan: table.tHead.rows[0].cells.length }, g)));
    }
    const ui = `http://${n.address.includes(':') ? `[${n.address}]` : n.address}:${n.http_port}/ui/`;
    const owns = Object.entries(n.ownership ?? {}).map(([ks, f]) => `${ks} ${percent(f)}`).join(', ');
    rows.push(el('tr', { class: 'node-row', dataset: { nodeId: n.id, state: n.state } },
      el('td', {}, el('span', { class: `state state-${n.state}` }, n.state)),
      el('td', { title: n.id }, el('span', { class: 'swatch', style: `background:${colourOf.get(n.id)}` }),
        shortId(n.id), n.id === cluster.node ? el('span', { class: 'self' }, '(this node)') : null),
      el('td', {}, el('a', { href: ui, title: 'open this dashboard on that node' }, `${n.address}:${n.http_port}`)),
      el('td', {}, n.load === null || n.load === undefined ? '?' : bytes(n.load)),
      el('td', {}, count(n.num_tokens)),
      el('td', {}, percent(n.primary_ownership)),
      el('td', {}, owns || '–'),
      el('td', { title: n.schema_version ?? '' }, shortId(n.schema_version ?? '?'))));
  }
  fillRows(table, rows, 'no nodes');
}

export function describeChange(change) {
  if (!change) return '';
  const streams = change.streamers?.length ? ` · streams done ${change.streams_done?.length ?? 0}/${change.streamers.length}` : '';
  const replaces = change.replaces ? ` (replacing ${change.replaces})` : '';
  return `Topology change: ${change.kind} of ${change.node}${replaces}, step ${change.step}${streams}`;
}
