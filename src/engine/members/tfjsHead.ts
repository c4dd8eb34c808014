// Finding and removing the final softmax/sigmoid of a TF.js model, so logits are available exactly
// (not as log of probabilities, which saturates to -Infinity and kills gradients for confident models).
//
// Layers models: the output layer's `activation` in the Keras config is rewritten before loading:
//   'softmax' -> 'linear' (a `Softmax` layer becomes a linear `Activation`): the model then outputs logits;
//   'sigmoid' with one unit -> 'linear': the model outputs the binary logit z, and logits are [0, z];
//   a sigmoid `Activation` layer over several outputs is rewritten too, and its logits then go through a
//   softmax: a multi-label style head is read as one distribution over the classes;
//   anything else: the outputs are used as they are (see probabilities.ts for how they are read).
// Only classification members are rewritten; a regression model's final activation is part of its prediction.
// Graph models: from the output node, `Identity` nodes are skipped; a `Softmax` (or a one-wide `Sigmoid`)
// node is bypassed by executing its input node instead.
import type * as tf from '@tensorflow/tfjs';

/** What the model's last op was: its output is logits after the rewrite, except for 'none'. */
export type Head = 'softmax' | 'sigmoid' | 'none';

interface KerasLayer {
  class_name: string;
  name?: string;
  config: { name?: string; activation?: unknown; units?: number; [k: string]: unknown };
}

/** Rewrites the final softmax/sigmoid of a layers model to linear; returns the new artifacts and the head found. */
export function stripLayersHead(artifacts: tf.io.ModelArtifacts): { artifacts: tf.io.ModelArtifacts; head: Head } {
  const topology = structuredClone(artifacts.modelTopology) as Record<string, unknown>;
  const model = (topology.model_config ?? topology) as { class_name?: string; config?: unknown };
  const layer = outputLayer(model);
  let head: Head = 'none';
  if (layer) {
    const act = layer.config.activation;
    if (layer.class_name === 'Softmax' || act === 'softmax') {
      head = 'softmax';
      if (layer.class_name === 'Softmax') {
        layer.class_name = 'Activation';
        layer.config = { name: layer.config.name, trainable: true, dtype: 'float32', activation: 'linear' };
      } else layer.config.activation = 'linear';
    } else if (act === 'sigmoid' && (layer.class_name === 'Activation' || layer.config.units === 1)) {
      head = 'sigmoid';
      layer.config.activation = 'linear';
    }
  }
  return { artifacts: { ...artifacts, modelTopology: topology }, head };
}

/** The output layer of a Sequential or functional Keras config. */
function outputLayer(model: { class_name?: string; config?: unknown }): KerasLayer | undefined {
  const cfg = model.config;
  const layers = (Array.isArray(cfg) ? cfg : (cfg as { layers?: KerasLayer[] } | undefined)?.layers) as KerasLayer[] | undefined;
  if (!layers || layers.length === 0) return undefined;
  if (model.class_name === 'Sequential' || Array.isArray(cfg)) return layers[layers.length - 1];
  const outputs = (cfg as { output_layers?: unknown[][] }).output_layers;
  if (!outputs || outputs.length !== 1) return undefined;
  const name = outputs[0][0];
  return layers.find((l) => (l.name ?? l.config.name) === name);
}

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
}

/** The node to execute for logits in a graph model, and the head bypassed. */
export function graphLogitsNode(artifacts: tf.io.ModelArtifacts, outputNode: string): { node: string; head: Head } {
  const nodes = ((artifacts.modelTopology as { node?: GraphNode[] } | undefined)?.node ?? []) as GraphNode[];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const clean = (s: string): string => s.replace(/^\^/, '').replace(/:0$/, '');
  let cur = byName.get(clean(outputNode));
  for (let guard = 0; cur && cur.op === 'Identity' && cur.input?.length && guard < 100; guard++) cur = byName.get(clean(cur.input[0]));
  if (cur && (cur.op === 'Softmax' || cur.op === 'Sigmoid') && cur.input?.length) {
    return { node: clean(cur.input[0]), head: cur.op === 'Softmax' ? 'softmax' : 'sigmoid' };
  }
  return { node: outputNode, head: 'none' };
}
