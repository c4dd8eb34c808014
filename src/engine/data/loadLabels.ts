// Test labels for prediction-file-only ensembles: a .csv, .json or .npy file with one label per row.
import { parseCsv, parseNumber } from '../../core/data/csv';
import type { Task } from '../../core/config/types';
import { DataError, type DataLocation } from '../../core/data/errors';
import { npyToFloat32, parseNpy } from '../../core/data/npy';
import { csvTable, labelEncoding, parseJsonLocated, parseJsonTable, readLabels, readRawLabels, type Cell, type DataTable } from '../../core/data/table';
import { fileKind, readBytes, readText } from './files';

export interface LoadedLabels {
  labels: Float32Array;
  /** Present when the labels were names: labels[i] indexes classNames (sorted distinct names). */
  classNames?: string[];
}

/**
 * Numbers stay as they are (class indices or regression targets; for classification each must be an
 * integer >= 0, else a DataError at its cell); any text label makes the file categorical.
 */
function fromTable(t: DataTable, col: number, task: Task | undefined): LoadedLabels {
  if (t.nRows === 0) throw new DataError('labels: the file has no labels', { file: t.file });
  const raw = readRawLabels(t, col);
  if (raw.every((v) => typeof v === 'number' || parseNumber(v) !== undefined)) {
    const labels = readLabels(t, col, 'regression');
    if (task === 'classification') checkClassIndices(labels, (r) => t.locate(r, col), t.file);
    return { labels };
  }
  const enc = labelEncoding(raw);
  return { labels: readLabels(t, col, 'classification', enc), classNames: enc.classNames };
}

/** Classification labels given as numbers must be class indices: integers >= 0. */
function checkClassIndices(labels: Float32Array, locate: ((r: number) => DataLocation) | undefined, file: string): void {
  for (let r = 0; r < labels.length; r++) {
    const v = labels[r];
    if (Number.isInteger(v) && v >= 0) continue;
    throw new DataError(`labels: row ${r + 1} is ${v}, not a class index (an integer >= 0) as a classification task needs`, locate?.(r) ?? { file });
  }
}

/**
 * Reads a labels file:
 * - .csv: a `label` column under a header, or a single column with or without a header (a first row
 *   that is a number is data);
 * - .json: an array of numbers or strings, or { "labels": [...] }, or a table with a `label` column;
 * - .npy: a 1-D array or an (n, 1) column.
 * Text labels are mapped to indices in sorted order and returned with `classNames`. For a classification
 * `task`, numeric labels must be integers >= 0.
 */
export async function loadLabels(path: string, task?: Task): Promise<LoadedLabels> {
  const kind = fileKind(path);
  if (kind === 'npy') {
    const a = parseNpy(await readBytes(path), path);
    if (!(a.shape.length === 1 || (a.shape.length === 2 && a.shape[1] === 1))) {
      throw new DataError(`labels: expected a 1-D array or an (n, 1) column, got shape (${a.shape.join(', ')})`, { file: path });
    }
    const labels = npyToFloat32(a);
    if (task === 'classification') checkClassIndices(labels, undefined, path);
    return { labels };
  }
  if (kind === 'csv') {
    const csv = parseCsv(await readText(path), path);
    const labelCol = csv.header.indexOf('label');
    if (labelCol >= 0) return fromTable(csvTable(csv), labelCol, task);
    if (csv.header.length !== 1) {
      throw new DataError(`labels: expected one column or a 'label' column, found ${csv.header.length} columns (${csv.header.join(', ')})`, csv.locateHeader(0));
    }
    if (parseNumber(csv.header[0]) === undefined) return fromTable(csvTable(csv), 0, task);
    // A numeric first row is data, not a header.
    const values = [csv.header[0], ...csv.rows.map((r) => r[0])];
    return fromTable({
      file: path,
      columns: ['label'],
      nRows: values.length,
      cell: (r) => values[r],
      locate: (r) => (r === 0 ? csv.locateHeader(0) : csv.locate(r - 1, 0)),
      locateColumn: () => csv.locateHeader(0),
    }, 0, task);
  }
  if (kind === 'json') {
    const text = await readText(path);
    const json = parseJsonLocated(text, path);
    const data = json.data;
    const isList = (v: unknown): v is unknown[] => Array.isArray(v) && v.every((e) => e === null || typeof e !== 'object');
    const wrapped = data && typeof data === 'object' && !Array.isArray(data) ? (data as { labels?: unknown }).labels : undefined;
    const list = isList(data) ? data : isList(wrapped) ? wrapped : undefined;
    if (list) {
      const prefix = list === data ? [] : ['labels'];
      return fromTable({
        file: path,
        columns: ['label'],
        nRows: list.length,
        cell: (r) => list[r] as Cell,
        locate: (r) => json.at([...prefix, r]),
        locateColumn: () => json.at(prefix),
      }, 0, task);
    }
    const t = parseJsonTable(text, path);
    const col = t.columns.indexOf('label');
    if (col < 0) throw new DataError(`labels: expected an array of labels or rows with a 'label' field`, t.locateColumn(0));
    return fromTable(t, col, task);
  }
  throw new DataError(`unsupported labels file type '.${kind}' (expected .csv, .json or .npy)`, { file: path });
}
