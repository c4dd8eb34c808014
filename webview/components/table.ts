// A sortable table (own element rather than <vscode-table>: sorting, selection and per-cell content
// stay simple and fast for hundreds of rows).
import { h, icon } from '../dom';

export interface Column<R> {
  key: string;
  label: string;
  title?: string;
  /** The value sorted by (null sorts last). */
  value(r: R): number | string | null;
  /** Cell content (default: the value as text). */
  cell?(r: R): Node | string;
  numeric?: boolean;
}

export interface TableOptions<R> {
  sortKey: string;
  sortDir: 1 | -1;
  onSort?(key: string, dir: 1 | -1): void;
  rowKey(r: R): string;
  selected?: string | null;
  onRowClick?(r: R): void;
  rowClass?(r: R): string;
  /** Rows pinned below the sorted ones (e.g. the ensemble). */
  footer?: R[];
  caption?: string;
}

export function sortRows<R>(rows: R[], col: Column<R> | undefined, dir: 1 | -1): R[] {
  if (!col) return rows;
  return rows
    .map((r, i) => ({ r, i, v: col.value(r) }))
    .sort((a, b) => {
      if (a.v === null && b.v === null) return a.i - b.i;
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c * dir || a.i - b.i;
    })
    .map((x) => x.r);
}

export function sortableTable<R>(rows: R[], cols: Column<R>[], o: TableOptions<R>): HTMLElement {
  const sorted = sortRows(rows, cols.find((c) => c.key === o.sortKey), o.sortDir);
  const head = h('tr');
  for (const c of cols) {
    const active = c.key === o.sortKey;
    const th = h('th', { class: `${c.numeric ? 'num' : ''} ${o.onSort ? 'sortable' : ''}`, title: c.title, data: { key: c.key } }, c.label);
    if (active) {
      th.append(' ', icon(o.sortDir === 1 ? 'arrow-up' : 'arrow-down'));
      th.setAttribute('aria-sort', o.sortDir === 1 ? 'ascending' : 'descending');
    }
    if (o.onSort) {
      th.tabIndex = 0;
      const go = () => o.onSort?.(c.key, active ? ((-o.sortDir) as 1 | -1) : c.numeric ? -1 : 1);
      th.addEventListener('click', go);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') go();
      });
    }
    head.append(th);
  }
  const body = h('tbody');
  const addRow = (r: R, extra: string) => {
    const key = o.rowKey(r);
    const tr = h('tr', { class: `${extra} ${o.rowClass?.(r) ?? ''} ${o.selected === key ? 'selected' : ''}`, data: { key } });
    for (const c of cols) {
      const content = c.cell ? c.cell(r) : String(c.value(r) ?? '–');
      tr.append(h('td', { class: c.numeric ? 'num' : '' }, content));
    }
    if (o.onRowClick) {
      tr.tabIndex = 0;
      tr.addEventListener('click', () => o.onRowClick?.(r));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') o.onRowClick?.(r);
      });
    }
    body.append(tr);
  };
  for (const r of sorted) addRow(r, '');
  for (const r of o.footer ?? []) addRow(r, 'footer');
  const table = h('table', { class: 'data' }, h('thead', null, head), body);
  if (o.caption) table.prepend(h('caption', { text: o.caption }));
  // Narrow panels scroll the table sideways rather than squeezing it.
  return h('div', { class: 'scroll-x' }, table);
}
