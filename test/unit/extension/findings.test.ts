// Findings from a report, against values worked out by hand from the hand-made report below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EnsembleReport } from '../../../src/core/report';
import { analyzeReport, healthOf } from '../../../src/core/findings';
import { handReport } from './handReport';

test('the weaker member of a highly correlated pair is redundant; the better one is kept', () => {
  const { findings } = analyzeReport(handReport(), { redundancyThreshold: 0.95 });
  const red = findings.filter((f) => f.kind === 'redundant');
  // b correlates 0.97 with a (kept, better NLL). c correlates 0.96 with b, but b is not kept, and 0.5 with a: kept.
  assert.deepEqual(red.map((f) => [f.memberId, f.otherId, f.value]), [['b', 'a', 0.97]]);
  assert.match(red[0].message, /b is redundant with a \(error correlation ρ = 0\.97 ≥ 0\.95\)/);
  assert.equal(red[0].severity, 'warning');
});

test('the redundancy threshold setting decides', () => {
  assert.equal(analyzeReport(handReport(), { redundancyThreshold: 0.98 }).findings.filter((f) => f.kind === 'redundant').length, 0);
  // at 0.5, a keeps; b (0.97 with a) and c (0.5 with a) are redundant; d (0.2, 0.3 max vs kept a) kept
  const low = analyzeReport(handReport(), { redundancyThreshold: 0.5 }).findings.filter((f) => f.kind === 'redundant');
  assert.deepEqual(low.map((f) => [f.memberId, f.otherId]), [['b', 'a'], ['c', 'a']]);
});

test('closest and most diverse partners come from the error-correlation rows', () => {
  const { numbers } = analyzeReport(handReport());
  assert.deepEqual(numbers.get('a')?.closest, { id: 'b', rho: 0.97 });
  assert.deepEqual(numbers.get('a')?.diverse, { id: 'd', rho: 0.2 });
  assert.deepEqual(numbers.get('c')?.closest, { id: 'b', rho: 0.96 });
  assert.deepEqual(numbers.get('d')?.closest, { id: 'b', rho: 0.3 });
  assert.deepEqual(numbers.get('d')?.diverse, { id: 'c', rho: 0.1 });
});

test('a member whose removal lowers NLL without costing accuracy hurts the ensemble', () => {
  const { findings, numbers } = analyzeReport(handReport());
  const hurt = findings.filter((f) => f.kind === 'hurting');
  // c's NLL improvement (0.0002) is under the tolerance 0.002 * 0.18 = 0.00036, and it costs accuracy
  assert.deepEqual(hurt.map((f) => f.memberId), ['d']);
  assert.equal(hurt[0].message, 'removing d improves the ensemble: NLL 0.180 → 0.170, accuracy 90.0% → 91.0%');
  assert.deepEqual(numbers.get('a')?.loo, { metric: 'accuracy', delta: -0.02 });
});

test('poor calibration and failures are findings; health picks the most severe', () => {
  const { findings } = analyzeReport(handReport());
  const cal = findings.filter((f) => f.kind === 'miscalibrated');
  assert.deepEqual(cal.map((f) => f.memberId), ['c']);
  assert.equal(cal[0].message, 'c is poorly calibrated: ECE 0.150 (ensemble 0.030)');
  assert.equal(cal[0].severity, 'information');
  const failed = findings.filter((f) => f.kind === 'failed');
  assert.deepEqual(failed.map((f) => [f.memberId, f.severity, f.message]), [['e', 'error', 'e: training failed: boom']]);
  assert.equal(healthOf(findings, 'a'), 'helping');
  assert.equal(healthOf(findings, 'b'), 'redundant');
  assert.equal(healthOf(findings, 'd'), 'hurting');
});

test('regression: residual correlation and RMSE leave-one-out', () => {
  const r = {
    config: { file: 'r', name: 'r', task: 'regression', combine: { method: 'mean' } },
    members: [
      { id: 'x', groupId: 'x', kind: 'layers', state: 'ok', line: 1, metrics: { rmse: 1.0, mae: 0.8 } },
      { id: 'y', groupId: 'y', kind: 'layers', state: 'ok', line: 1, metrics: { rmse: 1.2, mae: 0.9 } },
      { id: 'z', groupId: 'z', kind: 'layers', state: 'ok', line: 1, metrics: { rmse: 3.0, mae: 2.5 } },
    ],
    ensemble: { members: ['x', 'y', 'z'], metrics: { rmse: 1.1, mae: 0.85 } },
    diversity: { memberIds: ['x', 'y', 'z'], residualCorrelation: [[1, 0.99, 0.2], [0.99, 1, 0.1], [0.2, 0.1, 1]] },
    contributions: { leaveOneOut: [{ id: 'z', values: { rmse: 0.95 }, delta: { rmse: -0.15 } }] },
  } as unknown as EnsembleReport;
  const { findings, numbers } = analyzeReport(r);
  assert.deepEqual(findings.map((f) => [f.kind, f.memberId]), [['redundant', 'y'], ['hurting', 'z']]);
  assert.deepEqual(numbers.get('z')?.loo, { metric: 'rmse', delta: -0.15 });
  assert.equal(findings[1].message, 'removing z improves the ensemble: RMSE 1.100 → 0.950');
});
