// Builds and checks `combine` (mean / vote / weighted) and `attack`.
import { getNodeValue, type Node } from 'jsonc-parser';
import type { AnalysisSpec, AttackSpec, CombineMethod, CombineSpec, MemberSpec, Task } from './types';
import { isNum, isObj, isStr, keyAt, nodeAt, report, type ParseContext } from './context';
import { resolveSchema, schemaAt } from './schema';
import { validateNode } from './schemaValidator';
import { closest } from './suggest';

const ANALYSIS = '#/definitions/analysis';

const COMBINE = '#/definitions/combine';
const ATTACK = '#/definitions/attack';
/** The methods of the object form (`mean`, `vote`, `weighted`), from the schema. */
const METHODS: unknown[] = (schemaAt(COMBINE).oneOf ?? []).flatMap((b) => resolveSchema(b).properties?.method?.enum ?? []);

/** The combine rule; weights are keyed by expanded member id (a group id's weight goes to each copy). */
export function buildCombine(ctx: ParseContext, members: MemberSpec[], task: Task): CombineSpec {
  const node = nodeAt(ctx, ['combine']);
  const dflt = resolveSchema(schemaAt(COMBINE)).default as CombineMethod;
  if (!node) return { method: dflt };
  const range = ctx.lines.rangeOf(node);
  const raw = getNodeValue(node);
  const methodNode = node.type === 'string' ? node : nodeAt(ctx, ['combine', 'method']);
  const method = (methodNode && METHODS.includes(methodNode.value) ? methodNode.value : dflt) as CombineMethod;
  const spec: CombineSpec = { method, range };
  const methodPath = node.type === 'string' ? ['combine'] : ['combine', 'method'];
  if (method === 'vote' && task === 'regression' && methodNode) {
    report(ctx, 'error', 'combine-task', methodPath, methodNode, 'vote needs classes; a regression ensemble can use "mean" or "weighted"');
  }
  const weightsNode = nodeAt(ctx, ['combine', 'weights']);
  if (method !== 'weighted') {
    if (weightsNode) report(ctx, 'warning', 'combine-weights', ['combine', 'weights'], keyAt(ctx, ['combine', 'weights']) ?? weightsNode, `weights are used only with "method": "weighted", not "${method}"`);
    return spec;
  }
  if (!isObj(raw) || !weightsNode || weightsNode.type !== 'object') {
    // the string "weighted" is already a schema error (only "mean" and "vote" stand alone)
    if (methodNode && node.type === 'object') report(ctx, 'error', 'combine-weights', methodPath, methodNode, '"weighted" needs `weights`: { "memberId": weight, ... }');
    return spec;
  }
  spec.weights = buildWeights(ctx, weightsNode, members);
  return spec;
}

function buildWeights(ctx: ParseContext, weightsNode: Node, members: MemberSpec[]): Record<string, number> {
  const ids = members.map((m) => m.id);
  const groups = new Map<string, string[]>();
  for (const m of members) if (m.repeatCount > 1 || m.id !== m.groupId) groups.set(m.groupId, [...(groups.get(m.groupId) ?? []), m.id]);
  const names = [...new Set([...ids, ...groups.keys()])];
  const weights: Record<string, number> = {};
  for (const prop of weightsNode.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v || !isStr(k.value)) continue;
    const key = k.value;
    const targets = ids.includes(key) ? [key] : groups.get(key);
    if (!targets) {
      const guess = closest(key, names);
      const hint = guess !== undefined ? `; did you mean \`${guess}\`?` : ` (members: ${names.slice(0, 12).join(', ')})`;
      const fix = guess !== undefined ? { at: k, newText: JSON.stringify(guess), title: `Change to "${guess}"` } : undefined;
      report(ctx, 'error', 'unknown-member', ['combine', 'weights', key], k, `no member \`${key}\`${hint}`, fix);
      continue;
    }
    if (isNum(v.value) && v.value >= 0) for (const t of targets) weights[t] = v.value;
  }
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (sum <= 0 && members.length > 0) {
    report(ctx, 'error', 'combine-weights', ['combine', 'weights'], weightsNode, 'the weights must have a positive sum');
  }
  return weights;
}

/** The `attack` block with schema defaults; `epsilon` always a list. */
export function buildAttack(ctx: ParseContext, task: Task, members: MemberSpec[], numClasses?: number): AttackSpec | undefined {
  const node = nodeAt(ctx, ['attack']);
  if (!node || node.type !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(resolveSchema(schemaAt(ATTACK)).properties ?? {})) {
    const v = nodeAt(ctx, ['attack', name]);
    const s = resolveSchema(sub);
    if (v && validateNode(v, s).length === 0) out[name] = getNodeValue(v);
    else if (s.default !== undefined) out[name] = s.default;
  }
  out.epsilon = Array.isArray(out.epsilon) ? out.epsilon : [out.epsilon];
  const spec = out as unknown as AttackSpec;
  const key = keyAt(ctx, ['attack']) ?? node;
  if (task === 'regression') report(ctx, 'error', 'attack', ['attack'], key, 'attacks need a classification task');
  else if (members.length > 0 && members.every((m) => m.source.kind === 'predictions')) {
    report(ctx, 'error', 'attack', ['attack'], key, 'attacks need gradients: add at least one `layers` or `model` member (prediction files cannot be attacked)');
  }
  const targetedNode = nodeAt(ctx, ['attack', 'targeted']);
  const classNode = nodeAt(ctx, ['attack', 'targetClass']);
  if (spec.targeted && spec.targetClass === undefined && targetedNode) {
    report(ctx, 'error', 'attack', ['attack', 'targeted'], targetedNode, 'a targeted attack needs `targetClass`');
  }
  if (spec.targetClass !== undefined && numClasses !== undefined && spec.targetClass >= numClasses && classNode) {
    report(ctx, 'error', 'attack', ['attack', 'targetClass'], classNode, `class ${spec.targetClass} does not exist: the data has ${numClasses} classes (0..${numClasses - 1})`);
  }
  return spec;
}

/**
 * The `analysis` block: the fields that pass the schema (the others are reported by it and left at
 * their defaults), and a selection metric that fits the task.
 */
export function buildAnalysis(ctx: ParseContext, task: Task): AnalysisSpec | undefined {
  const node = nodeAt(ctx, ['analysis']);
  if (!node || node.type !== 'object') return undefined;
  const schema = resolveSchema(schemaAt(ANALYSIS));
  const pick = (path: string[], props: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, sub] of Object.entries(props)) {
      const v = nodeAt(ctx, [...path, name]);
      if (!v) continue;
      const s = resolveSchema(sub as Parameters<typeof resolveSchema>[0]);
      if (s.type === 'object' && s.properties) {
        if (v.type === 'object') out[name] = pick([...path, name], s.properties);
      } else if (validateNode(v, s).length === 0) out[name] = getNodeValue(v);
    }
    return out;
  };
  const spec = pick(['analysis'], schema.properties ?? {}) as AnalysisSpec;
  const metric = spec.selection?.metric;
  const metricNode = nodeAt(ctx, ['analysis', 'selection', 'metric']);
  if (metric && metricNode && (metric === 'rmse') !== (task === 'regression')) {
    const fits = task === 'regression' ? '"rmse"' : '"nll" or "accuracy"';
    report(ctx, 'error', 'analysis', ['analysis', 'selection', 'metric'], metricNode, `selection metric "${metric}" does not fit a ${task} task: use ${fits}`);
    delete spec.selection!.metric;
  }
  const foldsNode = nodeAt(ctx, ['analysis', 'selection', 'folds']);
  if (spec.selection?.folds === 1 && foldsNode) {
    report(ctx, 'error', 'analysis', ['analysis', 'selection', 'folds'], foldsNode, 'selection folds must be 0 (one split by `fraction`) or at least 2');
    delete spec.selection.folds;
  }
  return spec;
}
