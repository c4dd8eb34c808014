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

/** Builds every entry of `members` (after `repeat` expansion) and checks it. */
export function buildMembers(ctx: ParseContext, data: DataFacts, task: Task): MemberSpec[] {
  const arr = nodeAt(ctx, ['members']);
  const members: MemberSpec[] = [];
  if (arr?.type !== 'array') return members;
  checkFeatures(ctx, ['defaults', 'features'], data);
  const firstEntry = new Map<string, { index: number; expanded: boolean }>();
  const writtenIds = new Map<string, number>();
  (arr.children ?? []).forEach((node, index) => {
    if (node.type !== 'object') return;
    const path: JsonPath = ['members', index];
    const idNode = nodeAt(ctx, [...path, 'id']);
    const sources = sourceKeys(node);
    if (sources.length === 0) {
      report(ctx, 'error', 'member-source', path, node, 'needs exactly one of `layers`, `model` or `predictions`');
    }
    for (const extra of sources.slice(1)) {
      const keyNode = extra.prop.children?.[0] as Node;
      report(ctx, 'error', 'member-source', [...path, extra.key], keyNode,
        `a member has exactly one source but this one has both \`${sources[0].key}\` and \`${extra.key}\`; remove one`);
    }
    const chosen = sources[0];
    const valueNode = chosen?.prop.children?.[1];
    if (!chosen || !valueNode) return;
    const layers: LayerSpec[] = [];
    let layersValid = chosen.key === 'layers' && valueNode.type === 'array';
    for (const ln of chosen.key === 'layers' ? (valueNode.children ?? []) : []) {
      const built = buildLayer(ctx, ln);
      if (built) layers.push(built.layer);
      if (!built?.valid) layersValid = false;
    }
    const source = buildSource(ctx, path, chosen.key, valueNode, layers);
    const training = chosen.key === 'layers' ? mergeTraining(ctx, path) : undefined;
    if (chosen.key === 'layers') checkFeatures(ctx, [...path, 'features'], data);
    if (chosen.key !== 'layers' && data.kind === 'labels') {
      // model members need inputs; layers members too (reported below with the stack)
      if (chosen.key === 'model') report(ctx, 'error', 'no-inputs', [...path, 'model'], valueNode, 'a saved model needs inputs, but `data` only has `labels`; use a dataset or data files');
    }
    if (chosen.key === 'layers' && data.kind === 'labels') {
      report(ctx, 'error', 'no-inputs', [...path, 'layers'], keyAt(ctx, [...path, 'layers']) as Node, 'training needs inputs, but `data` only has `labels`; use a dataset or data files');
    }
    if (layersValid && layers.length > 0 && training && data.inputShape) {
      checkStack(ctx, { path, layers, inputShape: data.inputShape, numClasses: data.numClasses, task, batchSize: training.batchSize, datasetName: data.spec.source ?? 'the data' });
    }
    const repeatNode = nodeAt(ctx, [...path, 'repeat']);
    const repeat = repeatNode && isInt(repeatNode.value) && repeatNode.value >= 1 ? repeatNode.value : undefined;
    if (repeat !== undefined && chosen.key !== 'layers' && repeatNode) {
      report(ctx, 'warning', 'repeat-no-training', [...path, 'repeat'], repeatNode, `only \`layers\` members train; ${repeat} copies of a \`${chosen.key}\` member are identical`);
    }
    if (!idNode || !isStr(idNode.value) || idNode.value === '' || !source) return;
    const groupId = idNode.value;
    const count = repeat ?? 1;
    const description = nodeAt(ctx, [...path, 'description'])?.value;
    let duplicateReported = false;
    const sameWritten = writtenIds.get(groupId);
    if (sameWritten !== undefined) {
      // `a` twice is a duplicate even when one is repeated (`a#1`, `a#2` next to `a`): weights and groups would be ambiguous
      report(ctx, 'error', 'duplicate-id', [...path, 'id'], idNode, `duplicate member id \`${groupId}\` (first used by members[${sameWritten}])`);
      duplicateReported = true;
    } else writtenIds.set(groupId, index);
    for (let r = 0; r < count; r++) {
      const id = repeat === undefined ? groupId : `${groupId}#${r + 1}`;
      const prev = firstEntry.get(id);
      if (prev !== undefined && !duplicateReported) {
        const expanded = repeat !== undefined || prev.expanded ? ', after repeat expansion' : '';
        report(ctx, 'error', 'duplicate-id', [...path, 'id'], idNode, `duplicate member id \`${id}\` (first used by members[${prev.index}]${expanded})`);
        duplicateReported = true;
      }
      if (prev === undefined) firstEntry.set(id, { index, expanded: repeat !== undefined });
      const m: MemberSpec = {
        id, groupId, repeatIndex: r, repeatCount: count, source,
        range: ctx.lines.rangeOf(node), idRange: ctx.lines.rangeOf(idNode), entryIndex: index,
      };
      if (training) m.training = { ...training, seed: training.seed + r };
      if (isStr(description)) m.description = description;
      members.push(m);
    }
  });
  return members;
}
