// The values of a prediction file as an [n, cols] grid that remembers where each value came from,
// and the checks every prediction file goes through (finite values; probabilities in [0, 1], rows summing to 1).
import { loadError } from './errors';
import type { SourceFile } from './sourceFile';

/** Rows sum to 1 within this tolerance (prediction files written with 6-7 significant digits pass). */
export const ROW_SUM_TOLERANCE = 1e-3;

/** Parsed prediction values, rows already in test-split order. */
export interface PredictionGrid {
  rows: number;
  cols: number;
  /** rows * cols values, row-major. */
  values: Float64Array;
  /** Where value (r, c) is in a text file (1-based); absent for binary files. */
  cellAt?: (r: number, c: number) => { line: number; column: number };
  /** Where row r starts in a text file. */
  rowAt?: (r: number) => { line: number; column: number };
  /** Names value (r, c) in messages, e.g. `value in column "p1"` or `value [3, 1]`. */
  describe: (r: number, c: number) => string;
  /** Names row r in messages when there is no line to point at, e.g. `row [3]`. */
  describeRow: (r: number) => string;
}

/**
 * Validates the grid for the task and returns the values as float32. A one-column grid for two classes
 * holds P(class 1) and comes back as rows [1 - p, p].
 */
export function checkGrid(src: SourceFile, grid: PredictionGrid, task: 'classification' | 'regression', numClasses: number): Float32Array {
  const { rows, cols, values } = grid;
  const fail = (r: number, c: number, detail: string): never => {
    const at = grid.cellAt?.(r, c);
    throw loadError(src, detail, at?.line, at?.column);
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      if (!Number.isFinite(v)) fail(r, c, `${grid.describe(r, c)} is ${String(v)}: every prediction must be a finite number`);
    }
  }
  if (task === 'classification') {
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        if (v < 0 || v > 1) {
          fail(r, c, `${grid.describe(r, c)} = ${v} is outside [0, 1]: these look like logits or scores, not probabilities; save softmax probabilities instead`);
        }
        sum += v;
      }
      if (cols === 1 && numClasses === 2) continue;
      if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
        const at = grid.rowAt?.(r);
        const where = at ? '' : `${grid.describeRow(r)}: `;
        throw loadError(src, `${where}probabilities sum to ${sum.toFixed(4)}, not 1 (tolerance ${ROW_SUM_TOLERANCE})`, at?.line, at?.column);
      }
    }
  }
  if (task === 'classification' && cols === 1 && numClasses === 2) {
    const out = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      out[2 * r] = 1 - values[r];
      out[2 * r + 1] = values[r];
    }
    return out;
  }
  return Float32Array.from(values);
}

/** The standard row-count message: `oof/lgbm.csv: 1999 rows, but the test split has 2000 samples`. */
export function checkRowCount(src: SourceFile, rows: number, nTest: number): void {
  if (rows !== nTest) throw loadError(src, `${rows} rows, but the test split has ${nTest} samples`);
}
