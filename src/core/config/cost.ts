// A rough training-cost estimate for a `layers` member, so a config that would exhaust memory is caught
// while it is typed rather than when training starts.
import type { LayerSpec } from './types';
import { inferShapes } from './shapes';

/** Estimated size of one `layers` member. */
export interface ModelCost {
  /** Weights (trainable and not: batch norm keeps 4 per channel). */
  params: number;
  /** Values of the input plus every layer's output, for one example. */
  activationsPerSample: number;
  /**
   * float32 bytes to train with `batchSize`: weights, their gradients and two optimizer moments
   * (4 x params), plus the forward activations of a batch and their gradients (2 x batch x activations).
   */
  bytes: number;
}

const product = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Estimates parameters and memory; layers after the first one that cannot be built are left out. */
export function estimateModelCost(layers: readonly LayerSpec[], inputShape: readonly number[], batchSize: number): ModelCost {
  const { shapes } = inferShapes(layers, inputShape);
  let params = 0;
  let activations = product(inputShape);
  shapes.forEach((out, i) => {
    const layer = layers[i];
    const input = i === 0 ? inputShape : shapes[i - 1];
    const bias = layer.useBias === false ? 0 : 1;
    if (layer.type === 'dense') {
      params += product(input) * out[0] + bias * out[0];
    } else if (layer.type === 'conv2d') {
      const k = Array.isArray(layer.kernelSize) ? layer.kernelSize : [layer.kernelSize ?? 3, layer.kernelSize ?? 3];
      const filters = out[2];
      params += k[0] * k[1] * input[input.length - 1] * filters + bias * filters;
    } else if (layer.type === 'batchNormalization') {
      params += 4 * input[input.length - 1];
    }
    activations += product(out);
  });
  const bytes = 4 * (4 * params + 2 * batchSize * activations);
  return { params, activationsPerSample: activations, bytes };
}
