// Edge cases: invalid input messages, ties, members always right, identical members, one member,
// calibration bin edges, rank histogram extremes, linear algebra helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEnsemble } from '../../../src/core/analysis/analyze.js';
import { binIndex } from '../../../src/core/analysis/calibration.js';
import { conditionNumber, jacobiEigenvalues, choleskySolve } from '../../../src/core/analysis/linalg.js';
import type { ClassificationAnalysis, RegressionAnalysis } from '../../../src/core/analysis/types.js';
import { clsOutputs, regOutputs } from './helpers.js';

const right = [[0.8, 0.2], [0.1, 0.9], [0.6, 0.4], [0.3, 0.7]];
const labels = [0, 1, 0, 1];
const mixed = [[0.8, 0.2], [0.7, 0.3], [0.4, 0.6], [0.3, 0.7]]; // correct, wrong, wrong, correct
const opts = { stackingFolds: 2 };

test('invalid probabilities are rejected with the member and sample named', () => {
  const bad = clsOutputs(labels, [right, mixed], ['mlp#1', 'mlp#2']);
  bad.members[1].values[2 * 2] = 0.3; // sample 2 row becomes [0.3, 0.6]
  assert.throws(() => analyzeEnsemble(bad), { message: "member 'mlp#2', sample 2: probabilities sum to 0.9" });
  const neg = clsOutputs(labels, [right, mixed], ['a', 'b']);
  neg.members[0].values[3] = -0.1;
  assert.throws(() => analyzeEnsemble(neg), /member 'a', sample 1, class 1: probability is -0\.1/);
  const nan = clsOutputs(labels, [right, mixed], ['a', 'b']);
  nan.members[1].values[0] = NaN;
  assert.throws(() => analyzeEnsemble(nan), /member 'b', sample 0, class 0: probability is NaN/);
  const len = clsOutputs(labels, [right], ['a']);
  len.members[0].values = new Float32Array(7);
  assert.throws(() => analyzeEnsemble(len), /member 'a': 7 values, expected nTest \* numClasses = 8/);
  assert.throws(() => analyzeEnsemble(clsOutputs([0, 1, 2, 1], [right])), /label of sample 2 is 2/);
  assert.throws(() => analyzeEnsemble(clsOutputs(labels, [right, right], ['x', 'x'])), /duplicate member id 'x'/);
  assert.throws(() => analyzeEnsemble(clsOutputs(labels, [right, mixed], ['a', 'b']), { combine: { method: 'weighted', weights: { a: 1 } } }), /member 'b' has no weight/);
  assert.throws(() => analyzeEnsemble(regOutputs([1, 2], [[1, NaN]], ['r'])), /member 'r', sample 1: prediction is NaN/);
  assert.throws(() => analyzeEnsemble(clsOutputs(labels, [right]), { eceBins: 0 }), /eceBins/);
});

test('rows within 1e-3 of summing to 1 are accepted as given (not renormalised)', () => {
  const o = clsOutputs(labels, [right]);
  o.members[0].values[0] = 0.8005; // row sums to 1.0005
  const r = analyzeEnsemble(o, opts) as ClassificationAnalysis;
  const brier0 = (0.8005 - 1) ** 2 + 0.2 ** 2;
  const rest = 2 * 0.1 ** 2 + 2 * 0.4 ** 2 + 2 * 0.3 ** 2;
  assert.ok(Math.abs(r.members[0].metrics.brier - (brier0 + rest) / 4) < 1e-6);
});

test('a member that is always right: correlation and Q with it are null, kappa defined', () => {
  const r = analyzeEnsemble(clsOutputs(labels, [right, mixed]), opts) as ClassificationAnalysis;
  assert.equal(r.diversity.correlation[0][1], null); // (N01+N00) = 0 for the always-right member
  assert.equal(r.diversity.qStatistic[0][1], null); // N11*N00 + N01*N10 = 2*0 + 0*2... N10 = 0 -> denominator 0
  assert.equal(r.diversity.qStatistic[0][0], null);
  assert.equal(r.diversity.average.correlation, null);
  assert.notEqual(r.diversity.kappa[0][1], null);
  assert.equal(r.diversity.doubleFault[0][1], 0);
});

test('identical members: disagreement 0, Q = 1 and correlation 1 when both right and wrong occur, symKL 0', () => {
  const r = analyzeEnsemble(clsOutputs(labels, [mixed, mixed], ['s#0', 's#1']), opts) as ClassificationAnalysis;
  assert.equal(r.diversity.disagreement[0][1], 0);
  assert.equal(r.diversity.qStatistic[0][1], 1);
  assert.equal(r.diversity.correlation[0][1], 1);
  assert.equal(r.diversity.kappa[0][1], 1);
  assert.equal(r.diversity.symmetricKL[0][1], 0);
  assert.ok(Math.abs(r.diversity.jensenShannon[0][1] as number) < 1e-15);
  assert.ok(Math.abs((r.diversity.errorCorrelation[0][1] as number) - 1) < 1e-12);
  assert.equal(r.diversity.jensenGap, 0);
  assert.ok(r.uncertainty.meanEpistemic < 1e-14); // float32-table logs vs Math.log: rounding only
  assert.deepEqual(r.contributions.redundancy.clusters, [{ members: ['s#0', 's#1'], kept: 's#0' }]);
  assert.deepEqual(r.stacking.pruned, ['s#1']);
  assert.equal(r.contributions.seedGroups[0].group, 's');
  assert.equal(r.contributions.seedGroups[0].metrics.accuracy.std, 0);
});

test('one member: ensemble equals the member; undefined ensemble-level measures are null', () => {
  const r = analyzeEnsemble(clsOutputs(labels, [mixed]), opts) as ClassificationAnalysis;
  assert.deepEqual(r.ensemble, r.members[0].metrics);
  assert.equal(r.diversity.interraterKappa, null);
  assert.equal(r.diversity.entropy, null);
  assert.equal(r.diversity.generalizedDiversity, null);
  assert.equal(r.diversity.average.disagreement, null);
  assert.deepEqual(r.contributions.leaveOneOut, []);
  assert.equal(r.contributions.sizeCurve.random.nll.length, 1);
  assert.equal(r.diversity.brierDecomposition.diversity, 0);
});

test('argmax ties go to the lowest class: for members, the mean and votes', () => {
  const a = [[0.5, 0.5], [0.2, 0.8]];
  const b = [[0.5, 0.5], [0.8, 0.2]];
  const r = analyzeEnsemble(clsOutputs([1, 1], [a, b]), { ...opts, combine: { method: 'vote' } }) as ClassificationAnalysis;
  assert.equal(r.members[0].metrics.accuracy, 0.5); // sample 0 predicts class 0
  assert.deepEqual(r.samples.ensemblePredicted, [0, 0]); // votes {0,0} and {1,0} -> tie -> 0
  assert.equal(r.ensemble.accuracy, 0);
  // vote NLL: vote fraction of the true class, clipped at 1e-12: sample 0 -> 0 votes, sample 1 -> 1/2
  assert.ok(Math.abs(r.ensemble.nll - (-Math.log(1e-12) - Math.log(0.5)) / 2) < 1e-9);
});

test('top-2 accuracy ranks ties by lower class index', () => {
  // label 2 with p = [0.3, 0.3, 0.3, 0.1]: classes 0 and 1 rank before class 2 -> not in top 2
  const r = analyzeEnsemble(clsOutputs([2, 1], [[[0.3, 0.3, 0.3, 0.1], [0.3, 0.3, 0.3, 0.1]]]), opts) as ClassificationAnalysis;
  assert.equal(r.members[0].metrics.top2Accuracy, 0.5);
  assert.deepEqual(r.members[0].metrics.perClassAccuracy, [null, 0, 0, null]); // classes 0 and 3 have no samples
});

test('calibration bins are (b/B, (b+1)/B]: an edge value goes to the lower bin', () => {
  assert.equal(binIndex(1, 15), 14);
  assert.equal(binIndex(0.5, 10), 4);
  assert.equal(binIndex(0.50001, 10), 5);
  assert.equal(binIndex(0, 15), 0);
  assert.equal(binIndex(0.2, 5), 0);
  // float32-exact confidences: 0.625 -> (0.6, 0.7]; 0.875 -> (0.8, 0.9]; 0.5 exactly on an edge -> (0.4, 0.5]
  const r = analyzeEnsemble(clsOutputs([0, 0, 1], [[[0.625, 0.375], [0.875, 0.125], [0.5, 0.5]]]), { ...opts, eceBins: 10 }) as ClassificationAnalysis;
  const bins = r.calibration.ensemble.bins;
  assert.equal(bins[6].count, 1);
  assert.equal(bins[8].count, 1);
  assert.equal(bins[4].count, 1);
  assert.equal(bins[4].accuracy, 0); // tie predicts class 0, label 1
  assert.ok(Math.abs(r.ensemble.ece - (0.375 + 0.125 + 0.5) / 3) < 1e-12);
  assert.equal(r.ensemble.mce, 0.5);
  assert.equal(bins[0].meanConfidence, null);
});

test('regression: rank histogram extremes, spread-skill and undefined values', () => {
  const r = analyzeEnsemble(regOutputs([0, 10, 5, 5], [[1, 1, 4, 6], [2, 2, 6, 4], [3, 3, 5, 5]]), opts) as RegressionAnalysis;
  // y=0 below all -> rank 0; y=10 above all -> rank 3; y=5 with members {4,6,5}: 1 below + random of 1 tie
  const h = r.calibration.rankHistogram;
  assert.equal(h.counts.length, 4);
  assert.equal(h.counts[0], 1);
  assert.equal(h.counts[3], 1);
  assert.equal(h.counts[1] + h.counts[2], 2);
  assert.equal(h.degreesOfFreedom, 3);
  const one = analyzeEnsemble(regOutputs([1, 2, 3], [[1, 2, 3]]), opts) as RegressionAnalysis;
  assert.equal(one.uncertainty.spread, null);
  assert.equal(one.uncertainty.spreadSkillRatio, null);
  assert.equal(one.ensemble.rmse, 0);
  assert.throws(() => analyzeEnsemble(regOutputs([1, 2], [[1, 2]]), { combine: { method: 'vote' } }), /only for classification/);
  const constant = analyzeEnsemble(regOutputs([2, 2, 2], [[1, 2, 3], [2, 2, 2]]), opts) as RegressionAnalysis;
  assert.equal(constant.ensemble.r2, null);
  assert.equal(constant.diversity.residualCorrelation[0][1], null); // member 2's residuals are constant
});

test('Jacobi eigenvalues, condition numbers and Cholesky solves', () => {
  assert.deepEqual(Array.from(jacobiEigenvalues(Float64Array.from([2, 1, 1, 2]), 2)).map((v) => +v.toFixed(12)), [1, 3]);
  // [[4,1,0],[1,3,1],[0,1,2]]: characteristic polynomial roots 3 and 3 +- sqrt(3)
  const ev = jacobiEigenvalues(Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]), 3);
  [3 - Math.sqrt(3), 3, 3 + Math.sqrt(3)].forEach((v, i) => assert.ok(Math.abs(ev[i] - v) < 1e-12));
  assert.ok(Math.abs((conditionNumber(Float64Array.from([2, 1, 1, 2]), 2) as number) - 3) < 1e-12);
  assert.equal(conditionNumber(Float64Array.from([1, 1, 1, 1]), 2), null);
  const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2);
  assert.ok(Math.abs(x[0] - 0.5) < 1e-15 && Math.abs(x[1]) < 1e-15);
});

test('weighted with zero weights: those members take no part in the ensemble or its sub-ensembles', () => {
  const c = [[0.6, 0.4], [0.2, 0.8], [0.3, 0.7], [0.9, 0.1]];
  const o = clsOutputs(labels, [right, mixed, c], ['a', 'b', 'c']);
  const r = analyzeEnsemble(o, { ...opts, combine: { method: 'weighted', weights: { a: 0, b: 1, c: 3 } } }) as ClassificationAnalysis;
  const bc = analyzeEnsemble(clsOutputs(labels, [mixed, c], ['b', 'c']), { ...opts, combine: { method: 'weighted', weights: { b: 1, c: 3 } } }) as ClassificationAnalysis;
  assert.deepEqual(r.ensemble, bc.ensemble);
  assert.equal(r.contributions.sizeCurve.random.nll.length, 2);
  assert.deepEqual([...r.contributions.sizeCurve.greedy.order].sort(), ['b', 'c']);
  const a = r.contributions.leaveOneOut.find((x) => x.id === 'a');
  assert.deepEqual(a?.delta, { accuracy: 0, nll: 0 });
  const one = analyzeEnsemble(o, { ...opts, combine: { method: 'weighted', weights: { a: 0, b: 0, c: 1 } } }) as ClassificationAnalysis;
  assert.deepEqual(one.contributions.leaveOneOut.map((x) => x.id), ['a', 'b']); // removing c would leave no weight
  assert.throws(() => analyzeEnsemble(o, { combine: { method: 'weighted', weights: { a: 0, b: 0, c: 0 } } }), /weights sum to 0/);
  assert.throws(() => analyzeEnsemble(o, { combine: { method: 'weighted', weights: { a: -1, b: 0, c: 1 } } }), /member 'a': weight must be finite and >= 0/);
});
