// The `analysis` block: schema-valid fields reach the parsed config; a metric that does not fit the task
// and selection folds of 1 are errors at their exact range; invalid fields are left at their defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import { analysisOptionsOf } from '../../../src/engine/report';
import { FILE, fakeHost } from './helpers';

const host = fakeHost(['/proj/cfg/a.csv', '/proj/cfg/b.csv', '/proj/cfg/y.csv']);
const cfg = (analysis: string, task = 'classification') =>
  `{\n  "task": "${task}",\n  "data": { "labels": "y.csv" },\n  "members": [ { "id": "a", "predictions": "a.csv" }, { "id": "b", "predictions": "b.csv" } ],\n  "analysis": ${analysis}\n}`;

test('every field of a valid analysis block reaches the config and the analysis options', () => {
  const { problems, config } = parseConfig(
    cfg('{ "eceBins": 10, "seed": 3, "sizeCurveOrders": 7, "topSamples": 5, "selection": { "metric": "accuracy", "steps": 12, "fraction": 0.25, "folds": 4 }, "stacking": { "alphas": [1, 1000], "folds": 3, "prune": false, "maxSamples": 200 } }'),
    FILE,
    host,
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(analysisOptionsOf(config?.analysis), {
    eceBins: 10, seed: 3, sizeCurveOrders: 7, topSamples: 5,
    selectionMetric: 'accuracy', selectionSteps: 12, selectionFraction: 0.25, selectionFolds: 4,
    stackingAlphas: [1, 1000], stackingFolds: 3, stackingPrune: false, stackingMaxSamples: 200,
  });
  assert.deepEqual(analysisOptionsOf(undefined), {});
});

test('a selection metric that does not fit the task is an error at the metric', () => {
  const text = cfg('{ "selection": { "metric": "rmse" } }');
  const { problems, config } = parseConfig(text, FILE, host);
  assert.equal(problems.length, 1);
  const p = problems[0];
  assert.equal(p.code, 'analysis');
  assert.equal(p.message, 'analysis.selection.metric: selection metric "rmse" does not fit a classification task: use "nll" or "accuracy"');
  // line 5 (1-based) is `  "analysis": { "selection": { "metric": "rmse" } }`; the value "rmse" starts at column 42 (2 spaces, "analysis" 3-12, ": { " 13-16, "selection" 17-27, ": { " 28-31, "metric" 32-39, ": " 40-41)
  assert.deepEqual([p.range.start.line + 1, p.range.start.character + 1], [5, 42]);
  assert.equal(text.slice(p.range.start.offset, p.range.end.offset), '"rmse"');
  assert.equal(config?.analysis?.selection?.metric, undefined, 'left at the default');
  const reg = parseConfig(cfg('{ "selection": { "metric": "accuracy" } }', 'regression'), FILE, host).problems;
  assert.match(reg.find((q) => q.code === 'analysis')?.message ?? '', /"accuracy" does not fit a regression task: use "rmse"/);
});

test('selection folds of 1, and schema violations, are reported; the bad fields keep their defaults', () => {
  const { problems, config } = parseConfig(cfg('{ "eceBins": 0, "selection": { "folds": 1 }, "stacking": { "alphas": [], "prune": true }, "bins": 3 }'), FILE, host);
  const messages = problems.map((p) => p.message);
  assert.ok(messages.includes('analysis.selection.folds: selection folds must be 0 (one split by `fraction`) or at least 2'), messages.join('\n'));
  assert.ok(messages.some((m) => /^analysis\.eceBins: .*>= 1/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^analysis\.stacking\.alphas: /.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /bins/.test(m)), messages.join('\n'));
  assert.deepEqual(config?.analysis, { selection: {}, stacking: { prune: true } });
});
