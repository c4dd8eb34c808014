// Shape inference through a `layers` stack, as TensorFlow.js would build it (batch axis left out).
import type { LayerSpec } from './types';

/** The outcome of running the shapes through a stack; stops at the first layer that cannot be built. */
export interface ShapeTrace {
  /** Output shape of each layer that could be built (shapes[i] belongs to layers[i]). */
  shapes: number[][];
  /** The first layer that cannot be built and why (message without the path prefix). */
  error?: { index: number; message: string };
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function pair(v: number | [number, number] | undefined, dflt: number): [number, number] {
  if (Array.isArray(v)) return [v[0], v[1]];
  return [v ?? dflt, v ?? dflt];
}

/** Output length of one spatial axis (TF.js conv/pool arithmetic). */
function outLen(input: number, window: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - window) / stride) + 1;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Infers each layer's output shape from `inputShape` (one example's shape). */
export function inferShapes(layers: readonly LayerSpec[], inputShape: readonly number[]): ShapeTrace {
  const shapes: number[][] = [];
  let cur = [...inputShape];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const from = i === 0 ? 'the dataset' : `the previous ${layers[i - 1].type} layer`;
    const gets = `${formatShape(cur)} from ${from}`;
    const fail = (message: string): ShapeTrace => ({ shapes, error: { index: i, message } });
    switch (layer.type) {
      case 'dense':
        if (cur.length !== 1) {
          return fail(`dense needs a 1-D input but gets ${gets}; insert { "type": "flatten" } before it`);
        }
        cur = [layer.units ?? 1];
        break;
      case 'conv2d':
      case 'maxPooling2d':
      case 'averagePooling2d': {
        if (cur.length !== 3) return fail(`${layer.type} needs a 3-D input (height, width, channels) but gets ${gets}`);
        const isConv = layer.type === 'conv2d';
        const win = isConv ? pair(layer.kernelSize, 3) : pair(layer.poolSize, 2);
        const str = isConv ? pair(layer.strides, 1) : pair(layer.strides ?? layer.poolSize, 2);
        const padding = layer.padding ?? 'valid';
        const h = outLen(cur[0], win[0], str[0], padding);
        const w = outLen(cur[1], win[1], str[1], padding);
        const c = isConv ? (layer.filters ?? 1) : cur[2];
        if (h <= 0 || w <= 0) {
          const what = isConv ? `kernelSize ${formatShape(win)}` : `poolSize ${formatShape(win)}`;
          return fail(`${layer.type} with ${what} and padding "${padding}" shrinks ${gets} to ${formatShape([h, w, c])}`);
        }
        cur = [h, w, c];
        break;
      }
      case 'flatten':
        cur = [product(cur)];
        break;
      case 'reshape': {
        let target = layer.targetShape ?? [];
        const free = target.filter((d) => d === -1).length;
        if (target.some((d) => d === 0)) return fail(`reshape to ${formatShape(target)}: dimensions must be positive, or -1 for one inferred dimension`);
        if (free > 1) return fail(`reshape to ${formatShape(target)}: at most one dimension can be -1`);
        if (free === 1) {
          const known = product(target.filter((d) => d !== -1));
          if (known <= 0 || product(cur) % known !== 0) {
            return fail(`reshape to ${formatShape(target)} needs a multiple of ${known} values but gets ${gets} (${product(cur)} values)`);
          }
          target = target.map((d) => (d === -1 ? product(cur) / known : d));
        }
        if (product(target) !== product(cur)) {
          return fail(`reshape to ${formatShape(target)} needs ${product(target)} values but gets ${gets} (${product(cur)} values)`);
        }
        cur = [...target];
        break;
      }
      default: // dropout, batchNormalization, activation keep the shape
        break;
    }
    shapes.push([...cur]);
  }
  return { shapes };
}

/** The activation the stack ends with: the last activation layer, or the last dense/conv's own one. */
export function finalActivation(layers: readonly LayerSpec[]): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    if (l.type === 'activation' || l.type === 'dense' || l.type === 'conv2d') return l.activation ?? 'linear';
  }
  return 'linear';
}
