// Builds the `data` block into a DataSpec (defaults from the schema, paths resolved) and checks it:
// sizes against the bundled set, files through the host, CSV columns against `label`/`featureColumns`.
import type { Node } from 'jsonc-parser';
import type { BuiltinDataset, DataSpec, Normalization } from './types';
import { isInt, isNum, isObj, isStr, nodeAt, ownerOf, report, valueAt, type ParseContext } from './context';
import { builtinDatasetInfo, isSynthetic } from './datasets';
import { checkPath, extensionOf } from './paths';
import { countClasses, csvLines, defaultLabelIndex, splitCsvLine } from './csv';
import { closest } from './suggest';
import { schemaDefault, schemaEnum } from './schema';

/** The DataSpec plus what later checks need to know about the inputs. */
export interface DataFacts {
  spec: DataSpec;
  kind: 'builtin' | 'files' | 'labels' | 'none';
  /** Shape of one input when known (bundled sets; user CSVs whose header the host could read). */
  inputShape?: number[];
  /** Classes when known (bundled sets; user CSVs the host could read). */
  numClasses?: number;
  /** A bundled set's own task. */
  datasetTask?: 'classification' | 'regression';
}

const BUILTIN = '#/definitions/builtinData';
const FILES = '#/definitions/fileData';
const DATA_EXTS = ['.csv', '.tsv', '.json'];
const LABEL_EXTS = ['.csv', '.json', '.npy'];
/** Classes are counted only in CSVs up to this size: parsing runs on every edit in the editor. */
const MAX_CLASS_COUNT_CHARS = 2_000_000;

function baseSpec(raw: Record<string, unknown>): DataSpec {
  const normalize = schemaEnum(BUILTIN, 'normalize').includes(String(raw.normalize))
    ? (raw.normalize as Normalization)
    : schemaDefault<Normalization>(BUILTIN, 'normalize');
  const spec: DataSpec = { seed: isInt(raw.seed) ? raw.seed : schemaDefault<number>(BUILTIN, 'seed'), normalize };
  if (Array.isArray(raw.bounds) && raw.bounds.length === 2 && raw.bounds.every(isNum)) {
    spec.bounds = [raw.bounds[0], raw.bounds[1]];
  }
  return spec;
}

export function buildData(ctx: ParseContext): DataFacts {
  const raw = valueAt(ctx, ['data']);
  if (!isObj(raw)) return { spec: { seed: schemaDefault<number>(BUILTIN, 'seed'), normalize: schemaDefault<Normalization>(BUILTIN, 'normalize') }, kind: 'none' };
  const spec = baseSpec(raw);
  const bounds = nodeAt(ctx, ['data', 'bounds']);
  if (spec.bounds && spec.bounds[0] >= spec.bounds[1] && bounds) {
    report(ctx, 'error', 'bounds', ['data', 'bounds'], bounds, `min must be below max, got ${JSON.stringify(spec.bounds)}`);
  }
  if (isStr(raw.source) && schemaEnum(BUILTIN, 'source').includes(raw.source)) return builtin(ctx, raw, spec, raw.source as BuiltinDataset);
  if (isStr(raw.train)) return files(ctx, raw, spec);
  if (isStr(raw.labels)) {
    const node = nodeAt(ctx, ['data', 'labels']) as Node;
    spec.labels = checkPath(ctx, node, ['data', 'labels'], LABEL_EXTS, 'a labels file');
    return { spec, kind: 'labels' };
  }
  return { spec, kind: 'none' };
}

function builtin(ctx: ParseContext, raw: Record<string, unknown>, spec: DataSpec, source: BuiltinDataset): DataFacts {
  spec.source = source;
  if (isInt(raw.train)) spec.train = raw.train;
  if (isInt(raw.test)) spec.test = raw.test;
  if (isNum(raw.noise)) spec.noise = raw.noise;
  if (isInt(raw.samples)) spec.samples = raw.samples;
  if (isInt(raw.classes)) spec.classes = raw.classes;
  if (isInt(raw.features)) spec.features = raw.features;
  const info = builtinDatasetInfo(source, spec);
  checkSize(ctx, spec, info.train, info.test, info.total, source);
  spec.train = info.train;
  spec.test = info.test;
  if (isSynthetic(source)) {
    spec.samples ??= info.train + info.test;
    if (source === 'blobs' || source === 'spirals') spec.classes = info.numClasses;
    if (source === 'regression') spec.features = info.inputShape[0];
  }
  warnUnused(ctx, raw, source);
  return { spec, kind: 'builtin', inputShape: info.inputShape, numClasses: info.numClasses, datasetTask: info.task };
}

function checkSize(ctx: ParseContext, spec: DataSpec, train: number, test: number, total: number, source: BuiltinDataset): void {
  if (train + test <= total) return;
  const key = spec.train !== undefined ? 'train' : 'test';
  const node = nodeAt(ctx, ['data', key]) ?? ownerOf(ctx, ['data']);
  const has = isSynthetic(source) ? `samples is ${total}` : `${source} has ${total} examples`;
  report(ctx, 'error', 'dataset-size', ['data', key], node, `train + test = ${train} + ${test} = ${train + test} but ${has}`);
}

/** Fields that only some bundled sets use: a warning where they would be silently ignored. */
function warnUnused(ctx: ParseContext, raw: Record<string, unknown>, source: BuiltinDataset): void {
  const uses: Record<string, (s: BuiltinDataset) => boolean> = {
    noise: isSynthetic,
    samples: isSynthetic,
    classes: (s) => s === 'blobs' || s === 'spirals',
    features: (s) => s === 'regression',
  };
  for (const [field, used] of Object.entries(uses)) {
    const node = nodeAt(ctx, ['data', field]);
    if (raw[field] !== undefined && node && !used(source)) {
      report(ctx, 'warning', 'unused-field', ['data', field], node, `\`${field}\` is ignored by the ${source} dataset`);
    }
  }
}

function files(ctx: ParseContext, raw: Record<string, unknown>, spec: DataSpec): DataFacts {
  const trainNode = nodeAt(ctx, ['data', 'train']) as Node;
  spec.train = checkPath(ctx, trainNode, ['data', 'train'], DATA_EXTS, 'a data file', 'warning');
  const testNode = nodeAt(ctx, ['data', 'test']);
  if (isStr(raw.test) && testNode) spec.test = checkPath(ctx, testNode, ['data', 'test'], DATA_EXTS, 'a data file', 'warning');
  else spec.testFraction = isNum(raw.testFraction) ? raw.testFraction : schemaDefault<number>(FILES, 'testFraction');
  if (isStr(raw.label) || isInt(raw.label)) spec.label = raw.label;
  if (Array.isArray(raw.featureColumns)) spec.featureColumns = raw.featureColumns.filter((c) => isStr(c) || isInt(c));
  const facts: DataFacts = { spec, kind: 'files' };
  const ext = extensionOf(spec.train);
  const text = ext === '.csv' || ext === '.tsv' ? ctx.host?.readText(spec.train) : undefined;
  if (text !== undefined) readColumns(ctx, facts, text, ext === '.tsv' ? '\t' : ',');
  return facts;
}

/** Finds a column by name or index; reports an unknown one (with a suggestion) at `path`. */
function columnIndex(ctx: ParseContext, columns: string[], col: string | number, path: (string | number)[]): number | undefined {
  const node = nodeAt(ctx, path);
  if (typeof col === 'number') {
    if (col < columns.length) return col;
    if (node) report(ctx, 'error', 'unknown-column', path, node, `column index ${col} is out of range: the file has ${columns.length} columns`);
    return undefined;
  }
  const i = columns.indexOf(col);
  if (i >= 0) return i;
  if (node) {
    const guess = closest(col, columns);
    const hint = guess !== undefined ? `; did you mean \`${guess}\`?` : ` (columns: ${columns.slice(0, 20).join(', ')})`;
    const fix = guess !== undefined ? { at: node, newText: JSON.stringify(guess), title: `Change to "${guess}"` } : undefined;
    report(ctx, 'error', 'unknown-column', path, node, `no column \`${col}\` in the training file${hint}`, fix);
  }
  return undefined;
}

function readColumns(ctx: ParseContext, facts: DataFacts, text: string, sep: string): void {
  const small = text.length <= MAX_CLASS_COUNT_CHARS;
  const lines = csvLines(small ? text : text.slice(0, 65536));
  const columns = lines.length > 0 ? splitCsvLine(lines[0], sep).map((c) => c.trim()) : [];
  if (columns.length === 0) return;
  const spec = facts.spec;
  const labelIndex = spec.label !== undefined
    ? columnIndex(ctx, columns, spec.label, ['data', 'label'])
    : defaultLabelIndex(columns, String(spec.train));
  let nFeatures = columns.length - (labelIndex === undefined ? 0 : 1);
  if (spec.featureColumns) {
    spec.featureColumns.forEach((c, i) => columnIndex(ctx, columns, c, ['data', 'featureColumns', i]));
    nFeatures = spec.featureColumns.length;
  }
  facts.inputShape = [nFeatures];
  if (labelIndex !== undefined && small) facts.numClasses = countClasses(lines, labelIndex, sep);
}
