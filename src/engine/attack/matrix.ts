// The transferability matrix (DVERGE's protocol) over models already in memory: pool selection,
// one attack per source member, every target evaluated on each source's examples, the ensemble
// attacks (ENS, CWA, AdaEA), leave-one-out transfer, epsilon sweeps and the gallery.
// Config-level loading and caching live in compute.ts; this file is what the tests drive directly.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../core/data/types';
import {
  TRANSFER_FORMAT,
  TRANSFER_VERSION,
  summarizeMatrix,
  type AttackProtocol,
  type AttackRow,
  type ColumnKind,
  type LeaveOneOutEntry,
  type SweepPoint,
  type TransferabilityResult,
} from '../../core/transfer';
import { adaEaCrafter } from './adaea';
import { craft, ensCrafter, singleCrafter, type Crafter } from './craft';
import { cwaCrafter } from './cwa';
import { evaluateRestarts, type RestartEvaluation } from './evaluateRestarts';
import { buildGallery, probeSources, protocolOf } from './resultParts';
import type { AttackLabels, AttackModel } from './objective';
import { selectPool } from './samplePool';
import { stepOptions, type EnsembleAttackName, type ResolvedAttack, type StepOptions } from './spec';
import { gatherRows, predictColumns, type Target } from './targets';

export interface SourceModel {
  id: string;
  model: AttackModel;
}

export interface MatrixInput {
  /** Differentiable members: the rows, and the surrogates of the ensemble attacks. */
  sources: SourceModel[];
  /** Every evaluable member (sources included), in column order; the ensemble column is added. */
  targets: Target[];
  data: Dataset;
  attack: ResolvedAttack;
  /** Where the bounds in `data` come from (for the protocol). Default 'data' ('images' for image data). */
  boundsSource?: AttackProtocol['bounds']['source'];
  backend?: string;
  skipped?: { id: string; reason: string }[];
  /** Gallery samples per source: default 4 images or 200 points. */
  gallerySize?: number;
  key?: string;
  signal?: AbortSignal;
  onProgress?(done: number, total: number, label: string): void;
}

const count = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);

function crafterFor(name: EnsembleAttackName, models: AttackModel[], labels: AttackLabels): Crafter {
  if (name === 'cwa') return cwaCrafter(models, labels);
  if (name === 'adaea') return adaEaCrafter(models, labels);
  return ensCrafter(models, labels);
}

export async function computeMatrix(input: MatrixInput): Promise<TransferabilityResult> {
  const t0 = Date.now();
  const { data, attack, signal } = input;
  if (data.task !== 'classification') throw new Error('transferability needs a classification task');
  const skipped = [...(input.skipped ?? [])];
  const { sources, targets } = probeSources(input, skipped);
  if (sources.length === 0) throw new Error('no differentiable member to craft adversarial examples on');
  const c = data.numClasses;
  const shape = data.inputShape;
  const d = shape.reduce((a, b) => a * b, 1);
  const columns = [...targets.map((t) => t.id), 'ensemble'];
  const kinds: ColumnKind[] = [...targets.map((t) => t.kind), 'ensemble'];
  const fixed = attack.targeted && attack.targetClass !== undefined;
  if (fixed && !(Number.isInteger(attack.targetClass) && attack.targetClass! >= 0 && attack.targetClass! < c))
    throw new Error(`attack.targetClass: expected a class index in [0, ${c - 1}] (got ${attack.targetClass})`);

  const pool = await selectPool(targets, data, { size: attack.poolSize, seed: attack.seed, excludeLabel: fixed ? attack.targetClass : undefined, signal });
  const n = pool.indices.length;
  if (n === 0) throw new Error('the pool is empty: no test sample is classified correctly by every evaluable member');
  const clean = gatherRows(data.xTest, d, pool.indices);
  const labels = Int32Array.from(pool.indices, (i) => data.yTest[i]);
  const goals = attack.targeted ? Int32Array.from(labels, (y) => (fixed ? attack.targetClass! : (y + 1) % c)) : undefined;
  const cleanProbs = await predictColumns(targets, clean, n, c);

  const ensNames = sources.length >= 2 ? attack.ensembleAttacks : [];
  // Leave-one-out: each differentiable member held out of ENS (needs 2 sources); a black-box member
  // was never a surrogate, so its entry is ENS on every differentiable member (reused when run anyway).
  const looSources = attack.leaveOneOut && sources.length >= 2 ? sources.length : 0;
  const blackBox = attack.leaveOneOut ? targets.filter((t) => t.kind === 'black-box') : [];
  const looAll = blackBox.length > 0 && !ensNames.includes('ens') ? 1 : 0;
  const perCraft = attack.steps * attack.restarts;
  const total = perCraft * (attack.epsilons.length * (sources.length + ensNames.length) + looSources + looAll);
  let done = 0;

  const t = tf.tidy(() => {
    const x0 = tf.tensor(clean, [n, ...shape]);
    return {
      x0,
      y: tf.oneHot(tf.tensor1d(labels, 'int32'), c) as tf.Tensor2D,
      goal: goals ? (tf.oneHot(tf.tensor1d(goals, 'int32'), c) as tf.Tensor2D) : undefined,
      // A clean test value outside the training range stays valid: clipping never moves x0 itself.
      lower: tf.minimum(tf.tensor(data.lower, shape), x0),
      upper: tf.maximum(tf.tensor(data.upper, shape), x0),
    };
  });
  const lab: AttackLabels = { y: t.y, t: t.goal };
  const models = sources.map((s) => s.model);
  const run = (crafter: Crafter, opts: StepOptions, label: string, salt: number) =>
    craft(t.x0, crafter, opts, { lower: t.lower, upper: t.upper, signal, onStep: () => input.onProgress?.(++done, total, label) }, salt);
  const evaluate = (advs: Float32Array[], col: number) => evaluateRestarts(targets, advs, n, c, labels, goals, col);
  const row = (ev: RestartEvaluation) => {
    const counts = ev.fooled.map(count);
    return { counts, rates: counts.map((k) => k / n) };
  };

  let matrix: number[][] = [];
  let counts: number[][] = [];
  const shown = new Map<string, RestartEvaluation>();
  const ensembleAttacks: TransferabilityResult['ensembleAttacks'] = {};
  const leaveOneOut: LeaveOneOutEntry[] = [];
  const sweeps: SweepPoint[] = [];
  try {
    for (let e = 0; e < attack.epsilons.length; e++) {
      const eps = attack.epsilons[e];
      const opts = stepOptions(attack, eps);
      const m: number[][] = [];
      const k: number[][] = [];
      for (let i = 0; i < sources.length; i++) {
        const s = sources[i];
        const advs = await run(singleCrafter(s.model, lab), opts, `${attack.method} on ${s.id} (eps ${eps})`, i);
        const ev = await evaluate(advs, columns.indexOf(s.id));
        const r = row(ev);
        m.push(r.rates);
        k.push(r.counts);
        if (e === 0) shown.set(s.id, ev);
      }
      const ensRates: Record<string, number[]> = {};
      for (let a = 0; a < ensNames.length; a++) {
        const name = ensNames[a];
        const advs = await run(crafterFor(name, models, lab), opts, `${name.toUpperCase()} on ${sources.length} members (eps ${eps})`, 1000 + a);
        const r = row(await evaluate(advs, -1));
        ensRates[name] = r.rates;
        if (e === 0) ensembleAttacks[name] = { surrogates: sources.map((s) => s.id), ...r } satisfies AttackRow;
      }
      if (e === 0) {
        matrix = m;
        counts = k;
        leaveOneOut.push(...(await leaveOneOutRuns()));
      }
      if (attack.epsilons.length > 1) {
        const sum = summarizeMatrix(sources.map((s) => s.id), columns, m, kinds);
        sweeps.push({ epsilon: eps, matrix: m, counts: k, meanOffDiagonal: sum.meanOffDiagonal, ensembleRates: m.map((r) => r[columns.length - 1]), ensembleAttacks: ensRates });
      }
    }
  } finally {
    tf.dispose([t.x0, t.y, t.goal, t.lower, t.upper].filter((v): v is tf.Tensor => v !== undefined));
  }

  async function leaveOneOutRuns(): Promise<LeaveOneOutEntry[]> {
    const out: LeaveOneOutEntry[] = [];
    const opts = stepOptions(attack, attack.epsilons[0]);
    for (let j = 0; j < looSources; j++) {
      const rest = sources.filter((_, i) => i !== j);
      const advs = await run(ensCrafter(rest.map((s) => s.model), lab), opts, `ENS without ${sources[j].id}`, 2000 + j);
      const r = row(await evaluate(advs, -1));
      const col = columns.indexOf(sources[j].id);
      out.push({ heldOut: sources[j].id, surrogates: rest.map((s) => s.id), rate: r.rates[col], count: r.counts[col], ensembleRate: r.rates[columns.length - 1] });
    }
    if (blackBox.length === 0) return out;
    const all = ensembleAttacks.ens ?? { surrogates: sources.map((s) => s.id), ...row(await evaluate(await run(ensCrafter(models, lab), opts, 'ENS on every differentiable member', 3000), -1)) };
    for (const t of blackBox) {
      const col = columns.indexOf(t.id);
      out.push({ heldOut: t.id, surrogates: all.surrogates, rate: all.rates[col], count: all.counts[col], ensembleRate: all.rates[columns.length - 1] });
    }
    return out;
  }

  const rows = sources.map((s) => s.id);
  const protocol = protocolOf(input, { poolSize: n, candidates: pool.candidates, fixed });
  return {
    format: TRANSFER_FORMAT,
    version: TRANSFER_VERSION,
    rows,
    columns,
    columnKinds: kinds,
    matrix,
    counts,
    protocol,
    ensembleAttacks,
    leaveOneOut,
    sweeps,
    gallery: buildGallery(input, { pool: pool.indices, clean, cleanProbs, shown, columns, goals }),
    skipped,
    summary: summarizeMatrix(rows, columns, matrix, kinds),
    pool: pool.indices,
    millis: Date.now() - t0,
    key: input.key ?? '',
  };
}
