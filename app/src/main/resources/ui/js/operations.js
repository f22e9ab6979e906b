// This node's operations: per-table stats, running compactions, hints per target, streams and repairs.
import { bar, bytes, count, el, fillRows, micros, shortId } from './format.js';

export function fillTables(table, stats) {
  const rows = [...stats.tables]
    .sort((a, b) => `${a.keyspace}.${a.table}`.localeCompare(`${b.keyspace}.${b.table}`))
    .map(t => el('tr', { dataset: { table: `${t.keyspace}.${t.table}` } },
      el('td', {}, `${t.keyspace}.${t.table}`),
      el('td', {}, count(t.sstableCount)),
      el('td', {}, bytes(t.sstableBytes)),
      el('td', {}, bytes(t.memtableBytes)),
      el('td', {}, count(t.estimatedPartitions)),
      el('td', {}, count(t.bloomFilterFalsePositives)),
      el('td', {}, t.bloomFilterFalseRatio.toFixed(4)),
      el('td', {}, count(t.droppableTombstones)),
      el('td', {}, count(t.tombstonesScanned)),
      el('td', {}, micros(t.readLatency?.p99Micros)),
      el('td', {}, micros(t.writeLatency?.p99Micros)),
      el('td', {}, t.compaction ? t.compaction.writeAmplification.toFixed(2) : '–'),
      el('td', {}, count(t.compaction?.pendingTasks ?? 0))));
  fillRows(table, rows, 'no tables');
}

export function fillCompactions(table, summary, c) {
  summary.textContent = `pending ${c.pending_tasks} · ${c.concurrent_compactors} compactors · `
    + `throttle ${c.compaction_throughput_bytes_per_second > 0 ? bytes(c.compaction_throughput_bytes_per_second) + '/s' : 'off'}`;
  const rows = c.running.map(r => el('tr', { dataset: { compaction: r.id } },
    el('td', {}, `${r.keyspace}.${r.table}`),
    el('td', {}, r.kind),
    el('td', {}, count(r.sstables)),
    el('td', {}, bar(r.bytes_done, r.bytes_total, `${bytes(r.bytes_done)} / ${bytes(r.bytes_total)}`)),
    el('td', {}, r.reason ?? '')));
  fillRows(table, rows, 'none running');
}

export function fillHints(table, h) {
  const rows = h.targets.map(t => el('tr', { dataset: { target: t.node } },
    el('td', { title: t.node }, shortId(t.node)),
    el('td', {}, count(t.hints_pending)),
    el('td', {}, bytes(t.bytes)),
    el('td', {}, t.oldest ? new Date(t.oldest).toLocaleTimeString() : '–')));
  fillRows(table, rows, 'no hints pending');
}

export function fillStreams(table, s) {
  const rows = [...s.sessions].reverse().slice(0, 20).map(x => el('tr', { dataset: { session: x.session_id } },
    el('td', { title: x.session_id }, shortId(x.session_id)),
    el('td', {}, x.direction),
    el('td', { title: x.peer }, shortId(x.peer)),
    el('td', {}, x.error ? el('span', { class: 'error', title: x.error }, x.state) : x.state),
    el('td', {}, bar(x.ranges_done, x.ranges_total, `${x.ranges_done} / ${x.ranges_total}`)),
    el('td', {}, x.bytes_total > 0 ? `${bytes(x.bytes_done)} / ${bytes(x.bytes_total)}` : bytes(x.bytes_done))));
  fillRows(table, rows, 'no streaming sessions');
}

export function fillRepairs(table, r) {
  const rows = [...r.sessions].reverse().slice(0, 20).map(x => el('tr', { dataset: { repair: x.id } },
    el('td', { title: x.id }, shortId(x.id)),
    el('td', {}, x.keyspace + (x.tables?.length ? ` (${x.tables.join(', ')})` : '')),
    el('td', {}, x.error ? el('span', { class: 'error', title: x.error }, x.state) : x.state),
    el('td', {}, bar(x.ranges_done, x.ranges_total, `${x.ranges_done} / ${x.ranges_total}`)),
    el('td', {}, count(x.mismatched_leaves)),
    el('td', {}, count(x.partitions_streamed))));
  fillRows(table, rows, 'no repair sessions');
}

