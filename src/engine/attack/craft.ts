// The iteration driver shared by every attack: random start, steps (each projected onto the epsilon
// ball and clipped to the data's bounds), restarts, cancellation between steps. A `Crafter` supplies
// the step itself (PGD/FGSM on one model or ENS, CWA, AdaEA).
import * as tf from '@tensorflow/tfjs';
import { constrain, direction, randomDelta } from './ball';
import { ensembleGradient, modelGradient, type AttackLabels, type AttackModel } from './objective';
import type { StepOptions } from './spec';

export interface CraftContext {
  /** Valid input range, shaped like one sample (broadcast over the batch). */
  lower: tf.Tensor;
  upper: tf.Tensor;
  signal?: AbortSignal;
  /** Called after every step. */
  onStep?(restart: number, step: number): void;
}

/** One attack method's iteration. */
export interface Crafter {
  /** Called before each restart: drop any state (momentum) from the previous run. */
  reset?(): void;
  /** x_t -> x_{t+1} before projection; runs inside `tf.tidy` (state it keeps must be `tf.keep`-ed). */
  step(x: tf.Tensor, x0: tf.Tensor, opts: StepOptions, ctx: CraftContext): tf.Tensor;
  /** Frees kept state. */
  dispose?(): void;
}

/** PGD (FGSM when steps = 1 and stepSize = epsilon): ascend along the normalised gradient. */
export function gradientCrafter(gradient: (x: tf.Tensor) => tf.Tensor): Crafter {
  return { step: (x, _x0, o) => tf.add(x, tf.mul(direction(gradient(x), o.norm), o.stepSize)) };
}

/** PGD/FGSM against one model. */
export function singleCrafter(model: AttackModel, labels: AttackLabels): Crafter {
  return gradientCrafter((x) => modelGradient(model, x, labels));
}

/** ENS: PGD/FGSM against the loss averaged over the surrogates. */
export function ensCrafter(models: AttackModel[], labels: AttackLabels): Crafter {
  return gradientCrafter((x) => ensembleGradient(models, x, labels));
}

/** Seed of restart r's random start: distinct per restart, per craft call site (`salt`). */
function restartSeed(seed: number, salt: number, r: number): number {
  return (seed * 1000003 + salt * 7919 + r * 104729) >>> 0;
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Runs the attack from x0 (the whole pool in one batch) and returns one adversarial batch per
 * restart (row-major, like x0). Throws the signal's reason (an AbortError) when cancelled; all
 * tensors it made are freed either way.
 */
export async function craft(x0: tf.Tensor, crafter: Crafter, opts: StepOptions, ctx: CraftContext, salt = 0): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  let x: tf.Tensor | undefined;
  try {
    for (let r = 0; r < opts.restarts; r++) {
      ctx.signal?.throwIfAborted();
      crafter.reset?.();
      x = tf.tidy(() => {
        if (!opts.randomStart) return x0.clone();
        const noise = tf.tensor(randomDelta(x0.shape, opts.epsilon, opts.norm, restartSeed(opts.seed, salt, r)), x0.shape);
        return constrain(tf.add(x0, noise), x0, opts.epsilon, opts.norm, ctx.lower, ctx.upper);
      });
      for (let t = 0; t < opts.steps; t++) {
        ctx.signal?.throwIfAborted();
        const cur: tf.Tensor = x;
        const next = tf.tidy(() => constrain(crafter.step(cur, x0, opts, ctx), x0, opts.epsilon, opts.norm, ctx.lower, ctx.upper));
        cur.dispose();
        x = next;
        ctx.onStep?.(r, t);
        await nextTurn(); // lets a cancel message in
      }
      out.push(x.dataSync() as Float32Array);
      x.dispose();
      x = undefined;
    }
  } finally {
    x?.dispose();
    crafter.dispose?.();
  }
  return out;
}
