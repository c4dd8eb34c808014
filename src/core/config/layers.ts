// Builds `layers` arrays into LayerSpecs (schema defaults filled in) and checks a stack against the data:
// shapes through every layer, the output size and activation, and the estimated training memory.
import { getNodeValue, type Node } from 'jsonc-parser';
import type { JsonPath, LayerSpec, Task } from './types';
import { keyAt, nodeAt, report, type ParseContext } from './context';
import { resolveSchema, schemaAt, type JsonSchema } from './schema';
import { validateNode } from './schemaValidator';
import { finalActivation, formatShape, inferShapes } from './shapes';
import { estimateModelCost } from './cost';

/** Layer schemas by `type`, from the `oneOf` of `#/definitions/layer`. */
const LAYER_SCHEMAS: Map<string, JsonSchema> = new Map(
  (schemaAt('#/definitions/layer').oneOf ?? []).map((ref) => {
    const s = resolveSchema(ref);
    return [String(s.properties?.type?.const), s];
  }),
);

/** The layer types the schema knows. */
export const LAYER_TYPES: string[] = [...LAYER_SCHEMAS.keys()];

/**
 * Builds one layer object. Fields that fail the schema are left out (their problems are already
 * reported); absent fields get the schema's default. Returns undefined for an unknown `type`.
 */
export function buildLayer(ctx: ParseContext, node: Node): { layer: LayerSpec; valid: boolean } | undefined {
  const typeNode = node.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === 'type')?.children?.[1] : undefined;
  const schema = typeNode ? LAYER_SCHEMAS.get(String(typeNode.value)) : undefined;
  if (!schema) return undefined;
  const out: Record<string, unknown> = { range: ctx.lines.rangeOf(node) };
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const prop = node.children?.find((p) => p.children?.[0]?.value === name)?.children?.[1];
    const s = resolveSchema(sub);
    if (prop && validateNode(prop, s).length === 0) out[name] = getNodeValue(prop);
    else if (s.default !== undefined) out[name] = s.default;
  }
  return { layer: out as unknown as LayerSpec, valid: validateNode(node, schema).length === 0 };
}

function formatBytes(n: number): string {
  const gib = n / 2 ** 30;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
}

/** What a layers check needs to know about the data and the member. */
export interface StackContext {
  path: JsonPath; // the member's path, e.g. ['members', 0]
  layers: LayerSpec[];
  inputShape: number[];
  numClasses?: number;
  task: Task;
  batchSize: number;
  datasetName: string;
}

/** Shapes, output units/activation and size of one stack; every problem at the node it is about. */
export function checkStack(ctx: ParseContext, s: StackContext): void {
  const layersPath = [...s.path, 'layers'];
  const trace = inferShapes(s.layers, s.inputShape);
  if (trace.error) {
    const i = trace.error.index;
    report(ctx, 'error', 'shape', [...layersPath, i], nodeAt(ctx, [...layersPath, i]) as Node, trace.error.message);
    return;
  }
  const last = s.layers.length - 1;
  const out = trace.shapes[last];
  const expected = s.task === 'regression' ? 1 : s.numClasses;
  const lastPath = [...layersPath, last];
  const lastNode = nodeAt(ctx, lastPath) as Node;
  if (out.length !== 1) {
    report(ctx, 'error', 'output-shape', lastPath, lastNode, `the model must end in a 1-D output (one value per class) but ends in ${formatShape(out)}; add a flatten and a dense layer`);
  } else if (expected !== undefined && out[0] !== expected) {
    const unitsIndex = s.layers.map((l) => l.type).lastIndexOf('dense');
    const unitsPath = unitsIndex >= 0 ? [...layersPath, unitsIndex, 'units'] : lastPath;
    const why = s.task === 'regression' ? 'a regression model needs 1 output' : `${s.datasetName} has ${expected} classes`;
    report(ctx, 'error', 'output-units', unitsPath, nodeAt(ctx, unitsPath) ?? lastNode, `the model outputs ${out[0]} values but ${why}`);
  }
  const act = finalActivation(s.layers);
  if (s.task === 'classification' && act !== 'softmax') {
    const idx = s.layers.map((l) => l.type === 'activation' || l.type === 'dense' || l.type === 'conv2d').lastIndexOf(true);
    const layerPath = idx >= 0 ? [...layersPath, idx] : lastPath;
    const actNode = nodeAt(ctx, [...layerPath, 'activation']);
    const at = actNode ?? nodeAt(ctx, layerPath) ?? lastNode;
    report(ctx, 'warning', 'output-activation', actNode ? [...layerPath, 'activation'] : layerPath, at, `the last activation is "${act}", not softmax: the output will be treated as logits and softmaxed`);
  }
  const cost = estimateModelCost(s.layers, s.inputShape, s.batchSize);
  if (cost.bytes > ctx.maxModelBytes) {
    const key = keyAt(ctx, layersPath) ?? lastNode;
    report(ctx, 'error', 'too-large', layersPath, key,
      `training needs about ${formatBytes(cost.bytes)} (${cost.params.toLocaleString('en-US')} parameters, ${cost.activationsPerSample.toLocaleString('en-US')} activations per example, batch ${s.batchSize}), over the ${formatBytes(ctx.maxModelBytes)} limit`);
  }
}
