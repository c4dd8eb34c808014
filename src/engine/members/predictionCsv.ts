// CSV prediction files -> PredictionGrid (tokenised by core's CSV parser, which keeps positions).
//
// Header row required. Columns:
// - an optional id column (`id`, `index`, `idx`, `row`, `sample`, `sample_id`) giving each row's position in
//   the test split, 0-based (1-based when the ids are exactly 1..n);
// - label columns (`label`, `target`, `y_true`, `truth`) are ignored;
// - classification: one column per class. Columns named by index (`class_0`, `p0`, `prob_1`, `0`, ...) or by
//   the dataset's class names are put in class order; any other names are taken in file order;
// - regression: one column (any name), or the one named `prediction`, `pred`, `value`, `y_pred` or `yhat`;
// - two classes: also a single column, the probability of class 1.
import { parseCsv, parseNumber, type CsvTable } from '../../core/data/csv';
import { DataError } from '../../core/data/errors';
import { loadError } from './errors';
import type { SourceFile } from './sourceFile';
import { checkRowCount, type PredictionGrid } from './predictionGrid';

const ID_NAMES = new Set(['id', 'index', 'idx', 'row', 'sample', 'sample_id']);
const LABEL_NAMES = new Set(['label', 'target', 'y_true', 'truth']);
const REGRESSION_NAMES = new Set(['prediction', 'predictions', 'pred', 'value', 'y_pred', 'yhat']);
const INDEXED = /^(?:class|prob|proba|probability|p|pred)?[_\s-]?(\d+)$/i;

export interface CsvOptions {
  nTest: number;
  numClasses: number;
  task: 'classification' | 'regression';
  classNames?: string[];
}

/** Reads CSV prediction text; throws MemberLoadError pointing at the first problem. */
export function csvGrid(src: SourceFile, text: string, opts: CsvOptions): PredictionGrid {
  let table: CsvTable;
  try {
    table = parseCsv(text, src.display);
  } catch (e) {
    if (e instanceof DataError) throw loadError(src, e.message, e.line, e.column);
    throw e;
  }
  const fail = (message: string, at: { line?: number; column?: number }): never => {
    throw loadError(src, message, at.line, at.column);
  };
  const names = table.header.map((h) => h.trim());
  const lower = names.map((h) => h.toLowerCase());
  // A header of class indices (pandas' default `0,1,2`) is fine; a row of fractions means there is no header.
  if (names.every((h) => parseNumber(h) !== undefined) && !names.every((h) => /^\d+$/.test(h))) {
    fail('the first row holds numbers: add a header row (e.g. class_0,class_1,...)', table.locateHeader(0));
  }
  const idCol = lower.findIndex((h) => ID_NAMES.has(h));
  const candidates = names.map((_, i) => i).filter((i) => i !== idCol && !LABEL_NAMES.has(lower[i]));
  // One column for two classes: the probability of class 1 (expanded by checkGrid).
  const single = opts.task === 'regression' || (opts.numClasses === 2 && candidates.length === 1);
  const columns = single ? [regressionColumn(table, names, candidates, fail)] : classColumns(table, names, candidates, opts, fail);
  const n = table.rows.length;
  checkRowCount(src, n, opts.nTest);

  const C = columns.length;
  const values = new Float64Array(n * C);
  const fileRow = new Int32Array(n); // test row -> CSV row
  const order = idCol >= 0 ? rowOrder(table, idCol, names[idCol], fail) : undefined;
  table.rows.forEach((fields, k) => {
    const r = order ? order[k] : k;
    fileRow[r] = k;
    columns.forEach((ci, c) => {
      const v = parseNumber(fields[ci]);
      if (v === undefined) {
        const t = fields[ci].trim();
        fail(`${t === '' ? 'empty value' : `${JSON.stringify(t)} is not a number`} (column ${JSON.stringify(names[ci])})`, table.locate(k, ci));
      }
      values[r * C + c] = v as number;
    });
  });
  const pos = (at: { line?: number; column?: number }): { line: number; column: number } => ({ line: at.line ?? 1, column: at.column ?? 1 });
  return {
    rows: n,
    cols: C,
    values,
    cellAt: (r, c) => pos(table.locate(fileRow[r], columns[c])),
    rowAt: (r) => pos(table.locate(fileRow[r], 0)),
    describe: (_r, c) => `value in column ${JSON.stringify(names[columns[c]])}`,
    describeRow: (r) => `row ${r}`,
  };
}

type Fail = (message: string, at: { line?: number; column?: number }) => never;

/** File column index for each class, in class order. */
function classColumns(table: CsvTable, names: string[], candidates: number[], opts: CsvOptions, fail: Fail): number[] {
  const C = opts.numClasses;
  if (candidates.length !== C) {
    const list = candidates.map((i) => names[i]).join(', ');
    fail(`${candidates.length} class columns, but the dataset has ${C} classes (columns: ${list})`, table.locateHeader(0));
  }
  const byIndex = candidates.map((i) => INDEXED.exec(names[i]));
  let classOf: number[] | undefined;
  if (byIndex.every((m) => m !== null)) classOf = byIndex.map((m) => Number(m?.[1]));
  const classNames = opts.classNames?.map((s) => s.trim().toLowerCase());
  if (!classOf && classNames) {
    const byName = candidates.map((i) => classNames.indexOf(names[i].toLowerCase()));
    if (byName.every((k) => k >= 0)) classOf = byName;
  }
  if (!classOf) return candidates;
  const out = new Array<number>(C).fill(-1);
  candidates.forEach((ci, k) => {
    const cls = (classOf as number[])[k];
    if (cls >= C) fail(`column ${JSON.stringify(names[ci])} names class ${cls}, but the dataset has classes 0..${C - 1}`, table.locateHeader(ci));
    if (out[cls] >= 0) fail(`column ${JSON.stringify(names[ci])}: class ${cls} has two columns`, table.locateHeader(ci));
    out[cls] = ci;
  });
  return out;
}

function regressionColumn(table: CsvTable, names: string[], candidates: number[], fail: Fail): number {
  if (candidates.length === 1) return candidates[0];
  const named = candidates.filter((i) => REGRESSION_NAMES.has(names[i].toLowerCase()));
  if (named.length === 1) return named[0];
  fail(`expected one prediction column (named prediction, pred or value), found: ${candidates.map((i) => names[i]).join(', ')}`, table.locateHeader(0));
  return -1;
}

/** Destination row of each CSV row from the id column: 0-based ids, or 1-based when they are exactly 1..n. */
function rowOrder(table: CsvTable, idCol: number, idName: string, fail: Fail): Int32Array {
  const n = table.rows.length;
  const ids = table.rows.map((fields, k) => {
    const v = parseNumber(fields[idCol]);
    if (v === undefined || !Number.isInteger(v)) fail(`${idName} ${JSON.stringify(fields[idCol].trim())} is not an integer`, table.locate(k, idCol));
    return v as number;
  });
  let min = Infinity;
  let max = -Infinity;
  for (const id of ids) {
    min = Math.min(min, id);
    max = Math.max(max, id);
  }
  const oneBased = min === 1 && max === n;
  const seen = new Int32Array(n).fill(-1);
  const order = new Int32Array(n);
  ids.forEach((id, k) => {
    const r = oneBased ? id - 1 : id;
    if (r < 0 || r >= n) fail(`${idName} ${id} is outside 0..${n - 1} (the test split has ${n} samples)`, table.locate(k, idCol));
    if (seen[r] >= 0) fail(`${idName} ${id} appears twice (also on line ${table.locate(seen[r], idCol).line})`, table.locate(k, idCol));
    seen[r] = k;
    order[k] = r;
  });
  return order;
}
