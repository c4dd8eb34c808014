// The attack spec with every default applied, and the per-epsilon settings of one crafting run.
// The config's `attack` block (src/core/config/types.ts AttackSpec) may omit fields; defaults live here.
import type { AttackSpec } from '../../core/config/types';

export type Norm = 'linf' | 'l2';
export type EnsembleAttackName = 'ens' | 'cwa' | 'adaea';

/** The attack block, resolved. */
export interface ResolvedAttack {
  method: 'fgsm' | 'pgd';
  norm: Norm;
  /** At least one; the first is the primary epsilon (matrix, ensemble attacks, leave-one-out). */
  epsilons: number[];
  /** PGD iterations (FGSM: 1). */
  steps: number;
  /** Explicit step size; undefined = epsilon/4 for PGD, epsilon for FGSM. */
  stepSize?: number;
  /** PGD starts from a uniform random point of the ball (FGSM never does). */
  randomStart: boolean;
  /** Independent runs per sample; a sample is fooled if any run fools the target. */
  restarts: number;
  targeted: boolean;
  /** Targeted: every sample aims at this class; undefined = (label + 1) mod classes. */
  targetClass?: number;
  /** Maximum pool size (test samples all evaluable members classify correctly). */
  poolSize: number;
  seed: number;
  ensembleAttacks: EnsembleAttackName[];
  leaveOneOut: boolean;
}

/** The settings of one crafting run at one epsilon. */
export interface StepOptions {
  norm: Norm;
  epsilon: number;
  steps: number;
  stepSize: number;
  randomStart: boolean;
  restarts: number;
  targeted: boolean;
  seed: number;
}

/** The schema's defaults (schemas/ensemble.schema.json `attack`), for configs without an `attack` block. */
export const DEFAULT_ATTACK: ResolvedAttack = {
  method: 'pgd',
  norm: 'linf',
  epsilons: [0.1],
  steps: 10,
  randomStart: true,
  restarts: 1,
  targeted: false,
  poolSize: 1000,
  seed: 0,
  ensembleAttacks: ['ens'],
  leaveOneOut: false,
};

/** Applies defaults and checks ranges; throws an Error naming the field on a bad value. */
export function resolveAttack(spec: Partial<AttackSpec> | undefined): ResolvedAttack {
  const s = spec ?? {};
  const d = DEFAULT_ATTACK;
  const epsilons = s.epsilon && s.epsilon.length ? [...s.epsilon] : d.epsilons;
  for (const e of epsilons) if (!(e > 0) || !Number.isFinite(e)) throw new Error(`attack.epsilon: expected positive numbers (got ${e})`);
  const method = s.method ?? d.method;
  const steps = method === 'fgsm' ? 1 : (s.steps ?? d.steps);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`attack.steps: expected a positive integer (got ${steps})`);
  const restarts = s.restarts ?? d.restarts;
  if (!Number.isInteger(restarts) || restarts < 1) throw new Error(`attack.restarts: expected a positive integer (got ${restarts})`);
  if (s.stepSize !== undefined && !(s.stepSize > 0)) throw new Error(`attack.stepSize: expected a positive number (got ${s.stepSize})`);
  const poolSize = s.poolSize ?? d.poolSize;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error(`attack.poolSize: expected a positive integer (got ${poolSize})`);
  const listed = s.ensembleAttacks ?? [...d.ensembleAttacks, ...(d.leaveOneOut ? (['leaveOneOut'] as const) : [])];
  const randomStart = method === 'fgsm' ? false : (s.randomStart ?? d.randomStart);
  return {
    method,
    norm: s.norm ?? d.norm,
    epsilons,
    steps,
    stepSize: method === 'fgsm' ? undefined : s.stepSize,
    randomStart,
    // Restarts differ only by their random start: without one they would repeat the same run.
    restarts: randomStart ? restarts : 1,
    targeted: s.targeted ?? d.targeted,
    targetClass: s.targeted ? s.targetClass : undefined,
    poolSize,
    seed: s.seed ?? d.seed,
    ensembleAttacks: listed.filter((a): a is EnsembleAttackName => a !== 'leaveOneOut'),
    leaveOneOut: listed.includes('leaveOneOut'),
  };
}

/** The step options at one epsilon: step size epsilon/4 (PGD) or epsilon (FGSM) unless set. */
export function stepOptions(a: ResolvedAttack, epsilon: number): StepOptions {
  return {
    norm: a.norm,
    epsilon,
    steps: a.steps,
    stepSize: a.method === 'fgsm' ? epsilon : (a.stepSize ?? epsilon / 4),
    randomStart: a.randomStart,
    restarts: a.restarts,
    targeted: a.targeted,
    seed: a.seed,
  };
}
