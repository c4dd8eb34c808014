// Prediction files (CSV, JSON, .npy) -> validated test-split outputs.
// CSV: see predictionCsv.ts. JSON: an array of rows (`[[p0, p1, ...], ...]`), or `{"predictions": [...]}`
// (also `probabilities`); regression rows may be bare numbers. .npy (read by core's parser): float32/float64
// [n, C], or [n] / [n, 1] for regression. Two classes may also come as one value per row: P(class 1).
// Errors point at the file and, for text files, the 1-based line and column of the first bad value.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { DataError, lineColumnAt } from '../../core/data/errors';
import { parseNpy } from '../../core/data/npy';
import { loadError } from './errors';
import { csvGrid } from './predictionCsv';
import { checkGrid, checkRowCount, type PredictionGrid } from './predictionGrid';
import { readBytes, type SourceFile } from './sourceFile';

export interface PredictionOptions {
  nTest: number;
  numClasses: number;
  task: 'classification' | 'regression';
  classNames?: string[];
}

/** Reads and validates a prediction file: nTest * numClasses probabilities, or nTest regression values. */
export async function readPredictionFile(src: SourceFile, format: 'csv' | 'json' | 'npy', opts: PredictionOptions): Promise<Float32Array> {
  const bytes = await readBytes(src);
  let grid: PredictionGrid;
  if (format === 'npy') grid = npyGrid(src, bytes, opts);
  else {
    const text = new TextDecoder('utf-8').decode(bytes);
    grid = format === 'csv' ? csvGrid(src, text, opts) : jsonGrid(src, text, opts);
  }
  return checkGrid(src, grid, opts.task, opts.numClasses);
}

function jsonGrid(src: SourceFile, text: string, opts: PredictionOptions): PredictionGrid {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !root) {
    const err = errors[0];
    const at = lineColumnAt(text, err ? err.offset : 0);
    throw loadError(src, `invalid JSON: ${err ? printParseErrorCode(err.error) : 'empty file'}`, at.line, at.column);
  }
  const pos = (node: Node): { line: number; column: number } => lineColumnAt(text, node.offset);
  let list: Node | undefined = root;
  if (root.type === 'object') {
    const prop = root.children?.find((p) => ['predictions', 'probabilities'].includes(String(p.children?.[0].value)));
    list = prop?.children?.[1];
  }
  if (!list || list.type !== 'array') {
    const at = pos(list ?? root);
    throw loadError(src, 'expected an array of rows, or an object {"predictions": [[...], ...]}', at.line, at.column);
  }
  const rows = list.children ?? [];
  checkRowCount(src, rows.length, opts.nTest);
  // Regression, or two classes given as one probability per row (a number or a one-element array).
  const first = rows[0];
  const single = opts.task === 'regression' || (opts.numClasses === 2 && first !== undefined && (first.type !== 'array' || first.children?.length === 1));
  const C = single ? 1 : opts.numClasses;
  const cells: Node[] = [];
  rows.forEach((row, r) => {
    const items = row.type === 'array' ? (row.children ?? []) : single ? [row] : undefined;
    if (!items) throw loadError(src, `row ${r} is not an array of ${C} probabilities`, pos(row).line, pos(row).column);
    if (items.length !== C) {
      const what = single ? 'each row holds 1 value like the first' : `the dataset has ${C} classes`;
      throw loadError(src, `row ${r} has ${items.length} values, but ${what}`, pos(row).line, pos(row).column);
    }
    for (const item of items) {
      if (item.type !== 'number') {
        throw loadError(src, `${text.slice(item.offset, item.offset + item.length)} is not a number`, pos(item).line, pos(item).column);
      }
      cells.push(item);
    }
  });
  return {
    rows: rows.length,
    cols: C,
    values: Float64Array.from(cells, (c) => c.value as number),
    cellAt: (r, c) => pos(cells[r * C + c]),
    rowAt: (r) => pos(rows[r]),
    describe: () => 'value',
    describeRow: (r) => `row ${r}`,
  };
}

function npyGrid(src: SourceFile, bytes: Uint8Array, opts: PredictionOptions): PredictionGrid {
  let arr;
  try {
    arr = parseNpy(bytes, src.display);
  } catch (e) {
    if (e instanceof DataError) throw loadError(src, e.message);
    throw e;
  }
  const { shape } = arr;
  if (arr.dtype !== 'float32' && arr.dtype !== 'float64') {
    throw loadError(src, `dtype ${arr.dtype}: predictions must be float32 or float64 (np.save(path, p.astype(np.float32)))`);
  }
  const shown = `shape [${shape.join(', ')}]`;
  if (shape.length === 0 || shape.length > 2) throw loadError(src, `${shown}: expected a 2-D array [samples, classes] (or 1-D for regression)`);
  checkRowCount(src, shape[0], opts.nTest);
  const cols = shape.length === 2 ? shape[1] : 1;
  const binary = opts.task === 'classification' && opts.numClasses === 2 && cols === 1;
  if (opts.task === 'classification' && !binary && (shape.length !== 2 || cols !== opts.numClasses)) {
    const have = shape.length === 2 ? `${cols} columns` : 'one value per sample';
    throw loadError(src, `${shown}: ${have}, but the dataset has ${opts.numClasses} classes; expected [${opts.nTest}, ${opts.numClasses}]`);
  }
  if (opts.task === 'regression' && cols !== 1) throw loadError(src, `${shown}: expected [${opts.nTest}] or [${opts.nTest}, 1] for a regression member`);
  return {
    rows: shape[0],
    cols,
    values: Float64Array.from(arr.data),
    describe: (r, c) => (shape.length === 2 ? `value [${r}, ${c}]` : `value [${r}]`),
    describeRow: (r) => `row [${r}]`,
  };
}
