// The parts of a transferability result around the matrix itself: which sources can be attacked,
// the protocol record, and the gallery.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../core/data/types';
import type { AttackProtocol, Gallery, GalleryImage, GalleryPoint } from '../../core/transfer';
import type { RestartEvaluation } from './evaluateRestarts';
import { galleryImages, galleryPoints, imageGeometry, type GalleryInput } from './gallery';
import type { MatrixInput, SourceModel } from './matrix';
import { modelGradient } from './objective';
import { stepOptions } from './spec';
import type { Target } from './targets';

/**
 * A source whose gradient cannot be computed (a kernel the backend lacks, a non-differentiable op in a
 * saved model) is no row: it stays a column, evaluated as a black box, and `skipped` says why.
 */
export function probeSources(input: MatrixInput, skipped: { id: string; reason: string }[]): { sources: SourceModel[]; targets: Target[] } {
  const { data } = input;
  const d = data.inputShape.reduce((a, b) => a * b, 1);
  const k = Math.min(8, data.nTest);
  const failed = new Set<string>();
  for (const s of input.sources) {
    try {
      const g = tf.tidy(() => {
        const x = tf.tensor(data.xTest.subarray(0, k * d), [k, ...data.inputShape]);
        const y = tf.oneHot(tf.tensor1d(Array.from(data.yTest.subarray(0, k)), 'int32'), data.numClasses) as tf.Tensor2D;
        return modelGradient(s.model, x, { y }).dataSync();
      });
      if (!g.every(Number.isFinite)) throw new Error('it is not finite');
      // float32 softmax keeps p - y non-zero for any real model: an all-zero gradient means a cut path
      if (g.every((v) => v === 0)) throw new Error('it is zero on every probe sample; is there an argMax, rounding or a lookup in the model?');
    } catch (e) {
      failed.add(s.id);
      skipped.push({ id: s.id, reason: `not attacked: no usable input gradient (${(e as Error).message}); evaluated as a black box` });
    }
  }
  if (failed.size === 0) return { sources: input.sources, targets: input.targets };
  return {
    sources: input.sources.filter((s) => !failed.has(s.id)),
    targets: input.targets.map((t) => (failed.has(t.id) ? { ...t, kind: 'black-box' as const } : t)),
  };
}

function bounds(data: Dataset, source: AttackProtocol['bounds']['source']): AttackProtocol['bounds'] {
  const lower = Array.from(data.lower);
  const upper = Array.from(data.upper);
  const small = lower.length <= 64;
  return { source, min: Math.min(...lower), max: Math.max(...upper), lower: small ? lower : undefined, upper: small ? upper : undefined };
}

/** The attack as it ran, for the result. */
export function protocolOf(input: MatrixInput, pool: { poolSize: number; candidates: number; fixed: boolean }): AttackProtocol {
  const { attack, data } = input;
  return {
    attack: attack.method,
    norm: attack.norm,
    epsilon: attack.epsilons[0],
    epsilons: attack.epsilons,
    steps: attack.steps,
    stepSize: stepOptions(attack, attack.epsilons[0]).stepSize,
    randomStart: attack.randomStart,
    restarts: attack.restarts,
    targeted: attack.targeted,
    targetRule: attack.targeted ? (pool.fixed ? 'fixed' : 'next') : undefined,
    targetClass: pool.fixed ? attack.targetClass : undefined,
    poolSize: pool.poolSize,
    poolRequested: attack.poolSize,
    candidates: pool.candidates,
    seed: attack.seed,
    bounds: bounds(data, input.boundsSource ?? (data.isImage ? 'images' : 'data')),
    ensembleCombine: 'mean-probability',
    backend: input.backend ?? tf.getBackend(),
  };
}

export function buildGallery(
  input: MatrixInput,
  g: { pool: number[]; clean: Float32Array; cleanProbs: Float32Array[]; shown: Map<string, RestartEvaluation>; columns: string[]; goals?: Int32Array },
): Gallery {
  const data = input.data;
  const geo = imageGeometry(data);
  const points = data.inputShape.length === 1 && data.inputShape[0] === 2;
  if (!geo && !points) return { kind: 'none', reason: 'a gallery is drawn for image data and for 2-D data only' };
  const size = Math.min(g.pool.length, input.gallerySize ?? (geo ? 4 : 200));
  const positions = Array.from({ length: size }, (_, i) => i);
  const of = (ev: RestartEvaluation): GalleryInput => ({
    data, pool: g.pool, clean: g.clean, cleanProbs: g.cleanProbs, adv: ev.shown, advProbs: ev.shownProbs, fooled: ev.fooled, columns: g.columns, goals: g.goals, positions,
  });
  if (geo) {
    const bySource: Record<string, GalleryImage[]> = {};
    for (const [id, ev] of g.shown) bySource[id] = galleryImages(of(ev));
    return { kind: 'images', width: geo.width, height: geo.height, channels: geo.channels, bySource };
  }
  const bySource: Record<string, GalleryPoint[]> = {};
  for (const [id, ev] of g.shown) bySource[id] = galleryPoints(of(ev));
  return { kind: 'points', bySource };
}
