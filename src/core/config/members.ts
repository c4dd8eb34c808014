// Builds the `members` array into MemberSpecs: `repeat` expansion, defaults merged under each member's
// training fields, source paths resolved; checks ids, sources, `features` and each layers stack.
import { getNodeValue, type Node } from 'jsonc-parser';
import type { JsonPath, LayerSpec, MemberSource, MemberSpec, Task, TrainingSpec } from './types';
import { isInt, isNum, isStr, keyAt, nodeAt, report, type ParseContext } from './context';
import { propertySchema, resolveSchema, schemaAt } from './schema';
import { validateNode } from './schemaValidator';
import { buildLayer, checkStack } from './layers';
import { checkPath, extensionOf } from './paths';
import type { DataFacts } from './data';

const TRAINING = '#/definitions/defaults';
const SOURCES = ['layers', 'model', 'predictions'] as const;
type SourceKey = (typeof SOURCES)[number];

/** The value at `path` when it satisfies the training field's schema, else undefined. */
function trainingValue(ctx: ParseContext, path: JsonPath, field: string): unknown {
  const node = nodeAt(ctx, path);
  const schema = propertySchema(TRAINING, field);
  return node && schema && validateNode(node, schema).length === 0 ? getNodeValue(node) : undefined;
}

/** Member field, else `defaults` field, else the schema default, for every training field. */
function mergeTraining(ctx: ParseContext, memberPath: JsonPath): TrainingSpec {
  const out: Record<string, unknown> = {};
  for (const [field, sub] of Object.entries(resolveSchema(schemaAt(TRAINING)).properties ?? {})) {
    const v = trainingValue(ctx, [...memberPath, field], field) ?? trainingValue(ctx, ['defaults', field], field) ?? resolveSchema(sub).default;
    if (v !== undefined) out[field] = v;
  }
  return out as unknown as TrainingSpec;
}

/** `features` (a fraction in (0,1] or a count) against the number of input features. */
export function checkFeatures(ctx: ParseContext, path: JsonPath, data: DataFacts): void {
  const node = nodeAt(ctx, path);
  if (!node || !isNum(node.value) || node.value <= 0) return;
  const v = node.value;
  if (v > 1 && !Number.isInteger(v)) {
    report(ctx, 'error', 'features', path, node, `expected a fraction in (0, 1] or an integer count, got ${v}`);
    return;
  }
  const shape = data.inputShape;
  if (!shape) return;
  if (shape.length > 1) {
    report(ctx, 'warning', 'features', path, node, `feature subsets apply to tabular data; the input here is an image [${shape.join(', ')}]`);
  } else if (v > shape[0]) {
    report(ctx, 'error', 'features', path, node, `asks for ${v} features but the data has ${shape[0]}`);
  }
}

function sourceKeys(node: Node): { key: SourceKey; prop: Node }[] {
  const out: { key: SourceKey; prop: Node }[] = [];
  for (const prop of node.children ?? []) {
    const k = prop.children?.[0]?.value;
    if ((SOURCES as readonly string[]).includes(k)) out.push({ key: k as SourceKey, prop });
  }
  return out;
}

function buildSource(ctx: ParseContext, path: JsonPath, key: SourceKey, value: Node, layers: LayerSpec[]): MemberSource | undefined {
  if (key === 'layers') return { kind: 'layers', layers };
  if (value.type !== 'string') return undefined;
  if (key === 'model') {
    const abs = checkPath(ctx, value, [...path, key], ['.json', '.onnx'], 'a model (TF.js model.json or .onnx)');
    return { kind: 'model', path: abs, format: extensionOf(abs) === '.onnx' ? 'onnx' : 'tfjs' };
  }
  const abs = checkPath(ctx, value, [...path, key], ['.csv', '.json', '.npy'], 'a predictions file');
  const ext = extensionOf(abs);
  return { kind: 'predictions', path: abs, format: ext === '.json' ? 'json' : ext === '.npy' ? 'npy' : 'csv' };
}

/** Exactly one of layers/model/predictions: reports none or extras; returns the first one. */
function chooseSource(ctx: ParseContext, path: JsonPath, node: Node): { key: SourceKey; value: Node } | undefined {
  const sources = sourceKeys(node);
  if (sources.length === 0) {
    report(ctx, 'error', 'member-source', path, node, 'needs exactly one of `layers`, `model` or `predictions`');
  }
  for (const extra of sources.slice(1)) {
    report(ctx, 'error', 'member-source', [...path, extra.key], extra.prop.children?.[0] as Node,
      `a member has exactly one source but this one has both \`${sources[0].key}\` and \`${extra.key}\`; remove one`);
  }
  const value = sources[0]?.prop.children?.[1];
  return sources[0] && value ? { key: sources[0].key, value } : undefined;
}

/** Builds a `layers` array; `valid` is false when any layer has a schema problem (shape checks are skipped). */
function buildLayers(ctx: ParseContext, value: Node): { layers: LayerSpec[]; valid: boolean } {
  const layers: LayerSpec[] = [];
  let valid = value.type === 'array' && (value.children?.length ?? 0) > 0;
  for (const ln of value.type === 'array' ? (value.children ?? []) : []) {
    const built = buildLayer(ctx, ln);
    if (built) layers.push(built.layer);
    if (!built?.valid) valid = false;
  }
  return { layers, valid };
}

/** One entry's source and training, with the checks that depend on the data. */
function buildEntry(ctx: ParseContext, path: JsonPath, key: SourceKey, value: Node, data: DataFacts, task: Task) {
  const { layers, valid } = key === 'layers' ? buildLayers(ctx, value) : { layers: [], valid: false };
  const source = buildSource(ctx, path, key, value, layers);
  const training = key === 'layers' ? mergeTraining(ctx, path) : undefined;
  if (key !== 'predictions' && data.kind === 'labels') {
    const what = key === 'layers' ? 'training needs inputs' : 'a saved model needs inputs';
    report(ctx, 'error', 'no-inputs', [...path, key], keyAt(ctx, [...path, key]) ?? value, `${what}, but \`data\` only has \`labels\`; use a dataset or data files`);
  }
  if (training) {
    checkFeatures(ctx, [...path, 'features'], data);
    if (valid && data.inputShape) {
      checkStack(ctx, { path, layers, inputShape: data.inputShape, numClasses: data.numClasses, task, batchSize: training.batchSize, datasetName: data.spec.source ?? 'the data' });
    }
  }
  return { source, training };
}

/** Member ids seen so far: reports an entry whose written id, or any expanded id, is taken. */
class IdRegistry {
  private readonly written = new Map<string, number>();
  private readonly expanded = new Map<string, { index: number; repeated: boolean }>();

  constructor(private readonly ctx: ParseContext) {}

  add(path: JsonPath, idNode: Node, groupId: string, ids: string[], repeated: boolean): void {
    const index = path[1] as number;
    const dup = (msg: string) => report(this.ctx, 'error', 'duplicate-id', [...path, 'id'], idNode, `duplicate member id ${msg}`);
    const sameWritten = this.written.get(groupId);
    // `a` twice is a duplicate even when only one is repeated (a#1, a#2 next to a): groups and weights would be ambiguous
    if (sameWritten !== undefined) dup(`\`${groupId}\` (first used by members[${sameWritten}])`);
    else this.written.set(groupId, index);
    let reported = sameWritten !== undefined;
    for (const id of ids) {
      const prev = this.expanded.get(id);
      if (prev && !reported) {
        dup(`\`${id}\` (first used by members[${prev.index}]${repeated || prev.repeated ? ', after repeat expansion' : ''})`);
        reported = true;
      }
      if (!prev) this.expanded.set(id, { index, repeated });
    }
  }
}

/** Builds every entry of `members` (after `repeat` expansion) and checks it. */
export function buildMembers(ctx: ParseContext, data: DataFacts, task: Task): MemberSpec[] {
  const arr = nodeAt(ctx, ['members']);
  const members: MemberSpec[] = [];
  if (arr?.type !== 'array') return members;
  checkFeatures(ctx, ['defaults', 'features'], data);
  const registry = new IdRegistry(ctx);
  (arr.children ?? []).forEach((node, index) => {
    if (node.type !== 'object') return;
    const path: JsonPath = ['members', index];
    const chosen = chooseSource(ctx, path, node);
    if (!chosen) return;
    const { source, training } = buildEntry(ctx, path, chosen.key, chosen.value, data, task);
    const repeatNode = nodeAt(ctx, [...path, 'repeat']);
    const repeat = repeatNode && isInt(repeatNode.value) && repeatNode.value >= 1 ? repeatNode.value : undefined;
    if (repeat !== undefined && chosen.key !== 'layers' && repeatNode) {
      report(ctx, 'warning', 'repeat-no-training', [...path, 'repeat'], repeatNode, `only \`layers\` members train; ${repeat} copies of a \`${chosen.key}\` member are identical`);
    }
    const idNode = nodeAt(ctx, [...path, 'id']);
    if (!idNode || !isStr(idNode.value) || idNode.value === '' || !source) return;
    const groupId = idNode.value;
    const count = repeat ?? 1;
    const ids = Array.from({ length: count }, (_, r) => (repeat === undefined ? groupId : `${groupId}#${r + 1}`));
    registry.add(path, idNode, groupId, ids, repeat !== undefined);
    const description = nodeAt(ctx, [...path, 'description'])?.value;
    ids.forEach((id, r) => {
      const m: MemberSpec = {
        id, groupId, repeatIndex: r, repeatCount: count, source,
        range: ctx.lines.rangeOf(node), idRange: ctx.lines.rangeOf(idNode), entryIndex: index,
      };
      if (training) m.training = { ...training, seed: training.seed + r };
      if (isStr(description)) m.description = description;
      members.push(m);
    });
  });
  return members;
}
