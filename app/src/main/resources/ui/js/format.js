// Number and text formatting shared by the views.
export function bytes(n) {
  if (n === null || n === undefined || n < 0) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function count(n) {
  if (n === null || n === undefined) return '?';
  return Number(n).toLocaleString('en-US');
}

export function percent(f) {
  if (f === null || f === undefined || Number.isNaN(f)) return '?';
  return `${(f * 100).toFixed(1)}%`;
}

export function micros(us) {
  if (!us) return '–';
  return us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us} µs`;
}

export function shortId(id) {
  return id && id.length > 13 ? id.slice(0, 8) + '…' : id;
}

/** An element with text content (never innerHTML: every value shown comes from the network). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'style') e.style.cssText = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** A progress bar for done / total (total unknown when <= 0). */
export function bar(done, total, label) {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  return el('div', { class: 'bar', title: label },
    el('span', { style: `width:${(f * 100).toFixed(1)}%` }),
    el('em', {}, label));
}

/** Replaces a table body's rows; `empty` is shown in one cell when there are none. */
export function fillRows(table, rows, empty) {
  const body = table.tBodies[0];
  if (rows.length === 0) {
    const cols = table.tHead.rows[0].cells.length;
    body.replaceChildren(el('tr', {}, el('td', { class: 'empty', colspan: cols }, empty)));
  } else {
    body.replaceChildren(...rows);
  }
}
