// Decoration and tree text: numbers, statuses, repeat groups and the ensemble line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annotationText, ensembleAnnotationText, groupAnnotationText, metricTable, num, pct, signedPct, treeDescription } from '../../../src/extension/logic/format';
import type { MemberView } from '../../../src/extension/logic/memberView';

const trained = (id: string, metrics: Record<string, number>, extra: Partial<MemberView> = {}): MemberView => ({
  id,
  groupId: id.split('#')[0],
  status: 'trained',
  metrics,
  ...extra,
});

test('numbers: percentages with one decimal, metrics with 2-3 significant digits, signed deltas', () => {
  assert.equal(pct(0.9712), '97.1%');
  assert.equal(pct(1), '100.0%');
  assert.equal(num(0.0912), '0.091');
  assert.equal(num(0.25), '0.25');
  assert.equal(num(1.234), '1.23');
  assert.equal(num(123.4), '123');
  assert.equal(num(0), '0');
  assert.equal(signedPct(-0.004), '-0.4%');
  assert.equal(signedPct(0.0123), '+1.2%');
  assert.equal(signedPct(0.0001), '±0.0%');
  assert.equal(signedPct(-0.0001), '±0.0%');
});

test('a trained member shows its key numbers in the issue example format', () => {
  const v = trained('mlp#1', { accuracy: 0.9712, nll: 0.0912 }, { loo: { metric: 'accuracy', delta: -0.004 }, closest: { id: 'mlp#2', rho: 0.9631 } });
  assert.equal(annotationText(v), 'acc 97.1% · NLL 0.091 · LOO -0.4% · ρmax 0.96 mlp#2');
  assert.equal(annotationText(v, ['nll', 'accuracy']), 'NLL 0.091 · acc 97.1%');
  assert.equal(treeDescription(v), 'acc 97.1% · NLL 0.091');
});

test('regression members show RMSE and their LOO as a signed number', () => {
  const v = trained('ridge', { rmse: 1.234, mae: 0.9 }, { loo: { metric: 'rmse', delta: 0.021 } });
  assert.equal(annotationText(v), 'LOO +0.021 · RMSE 1.23');
});

test('statuses other than trained say what is happening', () => {
  const base = { id: 'm', groupId: 'm' };
  assert.equal(annotationText({ ...base, status: 'not-trained' }), 'not trained');
  assert.equal(annotationText({ ...base, status: 'queued' }), 'queued');
  assert.equal(annotationText({ ...base, status: 'training' }), 'training…');
  assert.equal(
    annotationText({ ...base, status: 'training', epoch: { epoch: 3, epochs: 20, loss: 0.4123, accuracy: 0.875, samplesPerSec: 1000, elapsedMs: 10 } }),
    'training 3/20 · loss 0.41 · acc 87.5%',
  );
  assert.equal(annotationText({ ...base, status: 'failed', message: 'shape mismatch\nat layer 2' }), 'failed: shape mismatch');
  assert.equal(annotationText({ ...base, status: 'stale' }), 'stale (spec changed): train to update');
  assert.equal(annotationText({ ...base, status: 'stale', metrics: { accuracy: 0.9 } }), 'stale (spec changed) · was acc 90.0%');
});

test('a repeat group shows the mean ± sample std of its members', () => {
  const group = [trained('mlp#1', { accuracy: 0.96, nll: 0.1 }), trained('mlp#2', { accuracy: 0.98, nll: 0.12 }), trained('mlp#3', { accuracy: 0.97, nll: 0.11 })];
  // accuracy mean 0.97, sd = sqrt(((-.01)^2 + .01^2 + 0) / 2) = 0.01 -> ±1.0; nll mean 0.11, sd 0.01
  assert.equal(groupAnnotationText(group, ['accuracy', 'nll']), 'mlp ×3 · acc 97.0% ±1.0 · NLL 0.11 ±0.010');
  const mixed = [group[0], { id: 'mlp#2', groupId: 'mlp', status: 'stale' as const }, { id: 'mlp#3', groupId: 'mlp', status: 'not-trained' as const }];
  assert.equal(groupAnnotationText(mixed, ['accuracy']), 'mlp ×3 · acc 96.0% ±0.0 · 1 trained, 1 stale, 1 not trained');
});

test('the ensemble line: its numbers and the trained count, or the run progress', () => {
  const e = { metrics: { accuracy: 0.98, nll: 0.07 }, total: 5, trained: 5, training: 0, done: 0, running: 0, stale: false };
  assert.equal(ensembleAnnotationText(e, ['accuracy', 'nll']), 'ensemble acc 98.0% · NLL 0.070 · 5/5 trained');
  assert.equal(ensembleAnnotationText({ ...e, stale: true, trained: 4 }, ['accuracy']), 'ensemble acc 98.0% · 4/5 trained (results stale)');
  assert.equal(ensembleAnnotationText({ ...e, metrics: undefined, trained: 0 }), 'ensemble · 0/5 trained');
  assert.equal(ensembleAnnotationText({ ...e, training: 3, done: 2, running: 5 }), 'ensemble · training: 2/5 done');
});

test('the metric table escapes ids and marks missing numbers', () => {
  const t = metricTable([trained('a|b', { accuracy: 0.5 })], { metrics: { accuracy: 0.6, nll: 0.7 }, total: 1, trained: 1, training: 0, done: 0, running: 0, stale: false }, 'classification');
  const lines = t.split('\n');
  assert.equal(lines[0], '| | status | acc | NLL | Brier | ECE | LOO | closest (ρ) |');
  assert.equal(lines[2], '| **a\\|b** | trained | 50.0% | – | – | – |  |  |');
  assert.equal(lines[3], '| *ensemble* | 1/1 | 60.0% | 0.70 | – | – | | |');
});
