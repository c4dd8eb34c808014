// Checks every measure against test/fixtures/analysis/reference.json, whose expected values come from
// an independent numpy / scipy / scikit-learn implementation (scripts/fixtures/analysis_reference.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEnsemble } from '../../../src/core/analysis/analyze.js';
import { fitLogPool, type Design } from '../../../src/core/analysis/stacking.js';
import type { ClassificationAnalysis, RegressionAnalysis, AnalysisOptions } from '../../../src/core/analysis/types.js';
import type { EnsembleOutputs } from '../../../src/core/outputs.js';
import { assertClose } from './helpers.js';

const ref = JSON.parse(readFileSync(join(__dirname, '../../fixtures/analysis/reference.json'), 'utf8'));

function outputs(inputs: { task: 'classification' | 'regression'; numClasses: number; nTest: number; labels: number[]; members: { id: string; values: number[] }[] }): EnsembleOutputs {
  return {
    task: inputs.task, numClasses: inputs.numClasses, nTest: inputs.nTest, labels: Float32Array.from(inputs.labels),
    members: inputs.members.map((m) => ({ id: m.id, values: Float32Array.from(m.values) })),
  };
}

const cls = ref.classification;
const clsOut = outputs(cls.inputs);
const E = cls.expected;
const run = (o: AnalysisOptions = {}) => analyzeEnsemble(clsOut, { ...cls.options, ...o }) as ClassificationAnalysis;
const a = run();

test('classification: member and ensemble metrics match the reference', () => {
  assertClose(a.members.map((m) => m.metrics), E.members.map((m: { metrics: unknown }) => m.metrics));
  assertClose(a.ensemble, E.ensemble.mean.metrics);
  assertClose(a.calibration.ensemble.bins, E.ensemble.mean.bins);
  assertClose(a.calibration.members, E.calibration.members);
});

test('classification: weighted and vote combinations match the reference', () => {
  const w = run({ combine: { method: 'weighted', weights: E.weights } });
  assertClose(w.ensemble, E.ensemble.weighted.metrics);
  assertClose(w.uncertainty, E.uncertaintyWeighted);
  const v = run({ combine: { method: 'vote' } });
  assertClose(v.ensemble, E.ensemble.vote.metrics);
  assertClose(v.calibration.ensemble.bins, E.ensemble.vote.bins);
  assertClose(v.contributions.leaveOneOut, E.contributions.leaveOneOutVote);
});

test('classification: pairwise and ensemble-level diversity match the reference', () => {
  assertClose(a.diversity, E.diversity);
  assert.equal(a.diversity.divergenceSampleCount, clsOut.nTest);
});

test('classification: uncertainty and per-sample views match the reference', () => {
  assertClose(a.uncertainty, E.uncertainty);
  const s = E.samples;
  assertClose(a.samples.disagreement, s.disagreement);
  assertClose(a.samples.mutualInformation, s.mutualInformation);
  assertClose(a.samples.totalEntropy, s.totalEntropy);
  assert.deepEqual(a.samples.ensemblePredicted, s.ensemblePredicted);
  assert.deepEqual(a.samples.ensembleCorrect, s.ensembleCorrect);
  for (const k of ['byDisagreement', 'byMutualInformation', 'ensembleWrongSomeRight', 'ensembleRightMostWrong'] as const) {
    assert.deepEqual(a.samples[k].map((v) => v.index), s[k], k);
  }
});

test('classification: contributions match the reference', () => {
  const c = E.contributions;
  assertClose(a.contributions.sizeCurve.random, c.sizeCurve.random);
  assertClose(a.contributions.sizeCurve.greedy, c.sizeCurve.greedy);
  assertClose(a.contributions.sizeCurve.diminishingReturns, c.sizeCurve.diminishingReturns);
  assertClose(a.contributions.leaveOneOut, c.leaveOneOut);
  assertClose(a.contributions.uniqueCorrect, c.uniqueCorrect);
  assertClose(a.contributions.redundancy, c.redundancy);
  assertClose(a.contributions.seedGroups, c.seedGroups);
});

test('classification: ensemble selection (split and 3-fold) matches the reference', () => {
  assert.equal(a.selection.mode, 'split');
  assertClose(a.selection.runs[0], E.selection);
  const cv = run({ selectionFolds: 3 });
  assert.equal(cv.selection.mode, 'cv');
  assertClose(cv.selection.runs, E.selectionCv);
});

test('classification: log-pool stacking matches an independent scipy fit', () => {
  const s = E.stacking;
  assert.deepEqual(a.stacking.members, s.members);
  assert.deepEqual(a.stacking.pruned, s.pruned);
  assert.equal(a.stacking.alpha, s.alpha);
  assertClose(a.stacking.cvScores, s.cvScores, 1e-6);
  assertClose(a.stacking.weights, s.weights, 1e-5);
  assertClose(a.stacking.intercept, s.intercept, 1e-5);
  assertClose(a.stacking.simpleAverageScore, s.simpleAverageScore);
  assertClose(a.stacking.conditionNumberBefore, s.conditionNumberBefore, 1e-8);
  assertClose(a.stacking.conditionNumberAfter, s.conditionNumberAfter, 1e-8);
});

test('two-class log pool equals scikit-learn LogisticRegression on the members\' logits', () => {
  const b = ref.binaryStacking;
  const m = b.members.length;
  const n = b.labels.length;
  const x = new Float64Array(m * n * 2);
  b.members.forEach((vals: number[], i: number) => {
    const f = Float32Array.from(vals);
    for (let k = 0; k < n * 2; k++) x[i * n * 2 + k] = Math.log(Math.max(f[k], 1e-12));
  });
  const d: Design = { k: m, n, c: 2, x, y: Float64Array.from(b.labels) };
  const p = fitLogPool(d, [0, 1, 2], Int32Array.from({ length: n }, (_, s) => s), b.alpha);
  assertClose(Array.from(p.subarray(0, m)), b.weights, 1e-5);
  assertClose(p[m], b.intercept, 1e-5);
});

const reg = ref.regression;
const regOut = outputs(reg.inputs);
const R = reg.expected;
const r = analyzeEnsemble(regOut, reg.options) as RegressionAnalysis;

test('regression: metrics, ambiguity, residual correlation match the reference', () => {
  assertClose(r.members.map((m) => m.metrics), R.members.map((m: { metrics: unknown }) => m.metrics));
  assertClose(r.ensemble, R.ensemble);
  assertClose(r.diversity, R.diversity);
  const w = analyzeEnsemble(regOut, { ...reg.options, combine: { method: 'weighted', weights: R.weights } }) as RegressionAnalysis;
  assertClose(w.diversity.ambiguity, R.ambiguityWeighted);
});

test('regression: CRPS, spread-skill, rank histogram match the reference', () => {
  assertClose(r.uncertainty, R.uncertainty);
  assertClose(r.calibration, R.calibration);
  assertClose(r.samples, R.samples);
});

test('regression: contributions, selection and ridge stacking match the reference', () => {
  assertClose(r.contributions, R.contributions);
  assertClose(r.selection.runs[0], R.selection);
  const s = R.stacking;
  assert.deepEqual(r.stacking.members, s.members);
  const { members: _members, ...rest } = s;
  assertClose(r.stacking, rest, 1e-8);
});
