// Small cases worked by hand: every pairwise and ensemble-level diversity measure on 3 samples,
// 2 members, 2 classes (labels [0, 1, 1]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEnsemble } from '../../../src/core/analysis/analyze.js';
import type { ClassificationAnalysis } from '../../../src/core/analysis/types.js';
import { clsOutputs } from './helpers.js';

// A: preds [0, 0, 1] -> correct [1, 0, 1].  B: preds [0, 1, 0 (tie 0.5/0.5 -> lowest class)] -> correct [1, 1, 0].
const A = [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]];
const B = [[0.7, 0.3], [0.3, 0.7], [0.5, 0.5]];
const r = analyzeEnsemble(clsOutputs([0, 1, 1], [A, B], ['A', 'B']), { stackingFolds: 2 }) as ClassificationAnalysis;
const d = r.diversity;
const near = (x: number | null, y: number, tol = 1e-6) => assert.ok(x !== null && Math.abs(x - y) <= tol, `${x} != ${y}`);
const H = (p: number[]) => -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);

test('2x2 oracle table: N11 = N10 = N01 = 1, N00 = 0', () => {
  near(d.disagreement[0][1], 2 / 3);
  near(d.doubleFault[0][1], 0);
  near(d.qStatistic[0][1], -1); // (1*0 - 1*1) / (1*0 + 1*1)
  near(d.correlation[0][1], -1 / Math.sqrt(2 * 1 * 2 * 1));
  assert.deepEqual(d.disagreement[0][1], d.disagreement[1][0]);
  near(d.disagreement[0][0], 0);
});

test('Cohen kappa on predicted labels: po = 1/3, pe = (2/3)^2 + (1/3)^2', () => {
  near(d.kappa[0][1], (1 / 3 - 5 / 9) / (1 - 5 / 9));
});

test('symmetric KL and Jensen-Shannon averaged over samples (nats)', () => {
  const skl = (0.2 * Math.log(27 / 7) + 0.3 * Math.log(3.5) + 0.3 * Math.log(4)) / 3;
  near(d.symmetricKL[0][1], skl);
  const js = [0, 1, 2].reduce((s, t) => {
    const m = [0, 1].map((k) => (A[t][k] + B[t][k]) / 2);
    return s + H(m) - (H(A[t]) + H(B[t])) / 2;
  }, 0) / 3;
  near(d.jensenShannon[0][1], js);
  assert.ok(js <= Math.log(2));
});

test('Pearson correlation of error signals e = 1 - p(true)', () => {
  // eA = [0.1, 0.6, 0.2], eB = [0.3, 0.3, 0.5]: cov = -0.02, ssA = 0.14, ssB = 6/225
  near(d.errorCorrelation[0][1], -0.02 / Math.sqrt(0.14 * (6 / 225)));
});

test('non-pairwise measures from l = [2, 1, 1] correct members per sample', () => {
  near(d.oracleAccuracy, 1);
  near(d.kohaviWolpertVariance, 2 / 12);
  near(d.interraterKappa, 1 - 1 / (3 * 1 * (2 / 3) * (1 / 3)));
  near(d.entropy, 2 / 3);
  near(d.generalizedDiversity, 1);
  near(d.difficulty, 0.5 - (2 / 3) ** 2);
});

test('ensemble metrics of the mean: hand values', () => {
  // mean rows: [0.8,0.2] y0, [0.45,0.55] y1, [0.35,0.65] y1 -> all correct
  near(r.ensemble.accuracy, 1);
  near(r.ensemble.nll, -(Math.log(0.8) + Math.log(0.55) + Math.log(0.65)) / 3);
  near(r.ensemble.brier, (2 * 0.2 ** 2 + 2 * 0.45 ** 2 + 2 * 0.35 ** 2) / 3);
  near(r.members[1].metrics.accuracy, 2 / 3);
  assert.deepEqual(r.members[1].metrics.confusion, [[1, 0], [1, 1]]); // B's tie on sample 2 predicts class 0
  assert.deepEqual(r.members[1].metrics.perClassAccuracy, [1, 0.5]);
  near(r.members[0].metrics.top2Accuracy, 1); // two classes
});

test('uncertainty: total = H(mean), aleatoric = mean H(p_i), MI = difference', () => {
  const mean = [0, 1, 2].map((t) => [0, 1].map((k) => (A[t][k] + B[t][k]) / 2));
  const total = mean.map(H);
  const alea = [0, 1, 2].map((t) => (H(A[t]) + H(B[t])) / 2);
  near(r.uncertainty.meanTotal, total.reduce((a, b) => a + b) / 3);
  near(r.uncertainty.meanAleatoric, alea.reduce((a, b) => a + b) / 3);
  near(r.uncertainty.meanEpistemic, (total.reduce((a, b) => a + b) - alea.reduce((a, b) => a + b)) / 3);
  near(r.samples.mutualInformation[0], total[0] - alea[0]);
});

test('samples: disagreement with the plurality (tie -> lowest class) and the views', () => {
  // votes: s0 {0,0} -> 0 disagree; s1 {0,1} plurality 0 -> 1/2; s2 {1,0} plurality 0 -> 1/2
  assert.deepEqual(r.samples.disagreement, [0, 0.5, 0.5]);
  assert.deepEqual(r.samples.byDisagreement.map((v) => v.index), [1, 2, 0]);
  assert.deepEqual(r.samples.byDisagreement[0].memberPredicted, [0, 1]);
  assert.deepEqual(r.samples.ensembleWrongSomeRight, []);
  assert.deepEqual(r.contributions.uniqueCorrect, [{ id: 'A', count: 1 }, { id: 'B', count: 1 }]);
});
