// User tables (CSV or JSON) as one interface, and their conversion to feature matrices and labels.
// JSON tables are either an array of objects (columns = the first object's keys, in order) or
// { "columns": [...], "rows": [[...], ...] }.
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Task } from '../config/types';
import type { CsvTable } from './csv';
import { parseNumber } from './csv';
import { DataError, lineColumnAt, type DataLocation } from './errors';

export type Cell = string | number | boolean | null | undefined;

export interface DataTable {
  file: string;
  columns: string[];
  nRows: number;
  /** Value of column `col` in row `row` (both 0-based); undefined when a JSON object lacks the key. */
  cell(row: number, col: number): Cell;
  locate(row: number, col: number): DataLocation;
  /** Where column `col` is named (the header field, or the first row's key). */
  locateColumn(col: number): DataLocation;
}

export function csvTable(csv: CsvTable): DataTable {
  return {
    file: csv.file,
    columns: csv.header,
    nRows: csv.rows.length,
    cell: (r, c) => csv.rows[r][c],
    locate: csv.locate,
    locateColumn: csv.locateHeader,
  };
}

/** Parsed JSON plus a way to locate any node by its JSON path (the tree is built only when needed). */
export interface LocatedJson {
  file: string;
  data: unknown;
  /** Location of the deepest existing node along `path`. */
  at(path: (string | number)[]): DataLocation;
}

/** JSON.parse with syntax errors reported at their line and column (through jsonc-parser). */
export function parseJsonLocated(source: string, file = '<json>'): LocatedJson {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false });
    const e = errors[0];
    throw new DataError(`invalid JSON: ${e ? printParseErrorCode(e.error) : 'syntax error'}`, { file, ...lineColumnAt(text, e?.offset ?? 0) });
  }
  let tree: Node | undefined;
  const at = (path: (string | number)[]): DataLocation => {
    tree ??= parseTree(text);
    for (let k = path.length; k >= 0; k--) {
      const node = tree && findNodeAtLocation(tree, path.slice(0, k));
      if (node) return { file, ...lineColumnAt(text, node.offset) };
    }
    return { file };
  };
  return { file, data, at };
}

/** Parses a JSON table; syntax and shape errors carry the file, line and column. */
export function parseJsonTable(source: string, file = '<json>'): DataTable {
  const { data, at } = parseJsonLocated(source, file);
  if (Array.isArray(data)) {
    if (data.length === 0) throw new DataError('empty JSON array (expected one object per row)', at([]));
    const rows = data as unknown[];
    rows.forEach((r, i) => {
      if (!r || typeof r !== 'object' || Array.isArray(r)) throw new DataError(`row ${i + 1} is not an object`, at([i]));
    });
    const objects = rows as Record<string, unknown>[];
    const columns = Object.keys(objects[0]);
    return {
      file,
      columns,
      nRows: objects.length,
      cell: (r, c) => objects[r][columns[c]] as Cell,
      locate: (r, c) => at([r, columns[c]]),
      locateColumn: (c) => at([0, columns[c]]),
    };
  }
  const o = data as { columns?: unknown; rows?: unknown } | null;
  if (o && typeof o === 'object' && Array.isArray(o.columns) && Array.isArray(o.rows)) {
    const columns = o.columns.map((c, j) => {
      if (typeof c !== 'string') throw new DataError(`columns[${j}] is not a string`, at(['columns', j]));
      return c;
    });
    const rows = o.rows as unknown[];
    rows.forEach((r, i) => {
      if (!Array.isArray(r)) throw new DataError(`rows[${i}] is not an array`, at(['rows', i]));
      if (r.length !== columns.length) throw new DataError(`rows[${i}] has ${r.length} values, expected ${columns.length} (one per column)`, at(['rows', i]));
    });
    const cells = rows as Cell[][];
    return {
      file,
      columns,
      nRows: cells.length,
      cell: (r, c) => cells[r][c],
      locate: (r, c) => at(['rows', r, c]),
      locateColumn: (c) => at(['columns', c]),
    };
  }
  throw new DataError('expected a JSON array of row objects or { "columns": [...], "rows": [[...]] }', at([]));
}

/** Index of a column given by name or 0-based index. */
export function resolveColumn(t: DataTable, ref: string | number, what: string): number {
  if (typeof ref === 'number') {
    if (Number.isInteger(ref) && ref >= 0 && ref < t.columns.length) return ref;
    throw new DataError(`${what} column index ${ref} is out of range (the file has ${t.columns.length} columns, indices from 0)`, { file: t.file });
  }
  const j = t.columns.indexOf(ref);
  if (j < 0) throw new DataError(`no ${what} column '${ref}' (columns: ${t.columns.join(', ')})`, t.locateColumn(0));
  return j;
}

/** The label column when none is named: 'label', 'target', 'y' or 'class' if present, else the last column. */
export function defaultLabelColumn(t: DataTable): number {
  for (const name of ['label', 'target', 'y', 'class']) {
    const j = t.columns.indexOf(name);
    if (j >= 0) return j;
  }
  return t.columns.length - 1;
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Cell as a finite number, or a DataError naming the file, line, column and column name. */
export function numericCell(t: DataTable, r: number, c: number): number {
  const v = t.cell(r, c);
  const num = typeof v === 'number' ? (Number.isFinite(v) ? v : undefined) : typeof v === 'string' ? parseNumber(v) : undefined;
  if (num !== undefined) return num;
  const msg =
    v === undefined ? `missing value for column '${t.columns[c]}'`
    : v === null || (typeof v === 'string' && v.trim() === '') ? `empty value in column '${t.columns[c]}'`
    : `${show(v)} is not a number in column '${t.columns[c]}'`;
  throw new DataError(msg, t.locate(r, c));
}

/** The nRows * cols.length feature matrix. */
export function readFeatures(t: DataTable, cols: number[]): Float32Array {
  const d = cols.length;
  const x = new Float32Array(t.nRows * d);
  for (let r = 0; r < t.nRows; r++) for (let k = 0; k < d; k++) x[r * d + k] = numericCell(t, r, cols[k]);
  return x;
}

/** How class labels map to indices. */
export interface LabelEncoding {
  numClasses: number;
  /** Present when labels are names (or non-index numbers): index i is classNames[i]. */
  classNames?: string[];
  /** Index of a raw label (its text form for names). */
  index: Map<string, number>;
}

/** A label's key in `LabelEncoding.index`: numbers by their value, text trimmed. */
const labelKey = (v: string | number): string => (typeof v === 'number' ? String(v) : (parseNumber(v)?.toString() ?? v.trim()));

/**
 * Class indices for raw labels: when every label is a non-negative integer (number or numeric text) the
 * label is the index (numClasses = max + 1, no classNames); otherwise the distinct labels, sorted
 * (numerically when all are numbers, else by code unit), are the classes 0..k-1 and their names.
 */
export function labelEncoding(values: (string | number)[]): LabelEncoding {
  const keys = [...new Set(values.map(labelKey))];
  const nums = keys.map((k) => parseNumber(k));
  const index = new Map<string, number>();
  if (nums.every((v) => v !== undefined && Number.isInteger(v) && v >= 0)) {
    keys.forEach((k, i) => index.set(k, nums[i] as number));
    return { numClasses: Math.max(0, ...(nums as number[])) + 1, index };
  }
  const numeric = nums.every((v) => v !== undefined);
  const sorted = numeric ? [...keys].sort((a, b) => Number(a) - Number(b)) : [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  sorted.forEach((k, i) => index.set(k, i));
  return { numClasses: sorted.length, classNames: sorted, index };
}

/** The raw labels of column `c` (strings or numbers); empty or missing labels are errors. */
export function readRawLabels(t: DataTable, c: number): (string | number)[] {
  const out: (string | number)[] = [];
  for (let r = 0; r < t.nRows; r++) {
    const v = t.cell(r, c);
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    else if (typeof v === 'string' && v.trim() !== '') out.push(v);
    else if (typeof v === 'boolean') out.push(String(v));
    else if (v !== null && typeof v === 'object') throw new DataError(`${show(v)} is not a label (column '${t.columns[c]}')`, t.locate(r, c));
    else throw new DataError(v === undefined ? `missing label '${t.columns[c]}'` : `empty label in column '${t.columns[c]}'`, t.locate(r, c));
  }
  return out;
}

/** Labels as Float32 targets: class indices through `enc` (classification) or numbers (regression). */
export function readLabels(t: DataTable, c: number, task: Task, enc?: LabelEncoding): Float32Array {
  const y = new Float32Array(t.nRows);
  if (task === 'regression') {
    for (let r = 0; r < t.nRows; r++) y[r] = numericCell(t, r, c);
    return y;
  }
  const raw = readRawLabels(t, c);
  const e = enc ?? labelEncoding(raw);
  raw.forEach((v, r) => {
    const k = e.index.get(labelKey(v));
    if (k === undefined) throw new DataError(`unknown class ${show(v)} in column '${t.columns[c]}'`, t.locate(r, c));
    y[r] = k;
  });
  return y;
}
