// Select Members: the ensemble's numbers over a selection are those of a config holding only the
// selected members (the outputs are filtered before the analysis, the combine weights restricted);
// excluded members keep their own metrics and get no findings; the findings thresholds apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import type { EnsembleConfig } from '../../../src/core/config/types';
import type { EnsembleOutputs } from '../../../src/core/outputs';
import { assembleReport, type EnsembleReport } from '../../../src/core/report';
import { analyzeReport } from '../../../src/core/findings';
import { analyzeSelection } from '../../../src/engine/report';
import { buildViews } from '../../../src/extension/logic/memberView';
import { annotationText, ensembleAnnotationText, groupAnnotationText } from '../../../src/extension/logic/format';
import { effectiveSelection, selectionKey } from '../../../src/core/memberSelection';
import { handReport } from './handReport';

const N = 240;
const C = 3;

/** A config of prediction-file members (nothing is read: the outputs below stand in for the files). */
function config(ids: string[], weights: Record<string, number>): EnsembleConfig {
  const members = ids.map((id) => `{ "id": "${id}", "predictions": "${id}.csv" }`).join(', ');
  const w = Object.entries(weights).filter(([id]) => ids.includes(id)).map(([id, x]) => `"${id}": ${x}`).join(', ');
  const text = `{ "task": "classification", "data": { "labels": "labels.csv" }, "members": [ ${members} ], "combine": { "method": "weighted", "weights": { ${w} } } }`;
  const r = parseConfig(text, '/tmp/selection/t.ensemble.json');
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  return r.config!;
}

/** Seeded outputs: member `skill` is how often it puts most mass on the true class. */
function outputs(ids: string[]): EnsembleOutputs {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const labels = new Float32Array(N).map(() => Math.floor(rnd() * C));
  const skill: Record<string, number> = { a: 0.85, b: 0.8, c: 0.75, d: 0.4 };
  const members = ids.map((id) => {
    const v = new Float32Array(N * C);
    for (let i = 0; i < N; i++) {
      const hit = rnd() < skill[id] ? labels[i] : Math.floor(rnd() * C);
      let sum = 0;
      for (let k = 0; k < C; k++) sum += v[i * C + k] = (k === hit ? 3 + 4 * rnd() : 0.2 + rnd());
      for (let k = 0; k < C; k++) v[i * C + k] /= sum;
    }
    return { id, values: v };
  });
  return { task: 'classification', labels, numClasses: C, nTest: N, members };
}

function report(cfg: EnsembleConfig, all: EnsembleOutputs, selection?: string[]): EnsembleReport {
  const { analysis, memberMetrics, selection: effective } = analyzeSelection(cfg, all, selection);
  const runs = new Map(cfg.members.map((m) => [m.id, { state: 'ok' as const }]));
  return assembleReport({
    config: cfg, configFile: 't.ensemble.json', toolVersion: 'test', data: { source: 'labels', nTest: N, numClasses: C }, runs, analysis,
    memberSelection: effective, memberMetrics, now: new Date(0),
  });
}

const WEIGHTS = { a: 3, b: 1, c: 2, d: 5 };
const ALL = ['a', 'b', 'c', 'd'];

test('a selection is analysed exactly as a config holding only the selected members', () => {
  const full = config(ALL, WEIGHTS);
  const all = outputs(ALL);
  const sel = report(full, all, ['c', 'a', 'b']); // picked in any order
  const sub = report(config(['a', 'b', 'c'], WEIGHTS), { ...all, members: all.members.filter((m) => m.id !== 'd') });
  const whole = report(full, all);
  assert.deepEqual(sel.memberSelection, ['a', 'b', 'c']);
  assert.deepEqual(sel.ensemble, sub.ensemble);
  for (const k of ['diversity', 'uncertainty', 'calibration', 'contributions', 'selection', 'stacking', 'samples'] as const) {
    assert.deepEqual(sel[k], sub[k], k);
  }
  // The subset is a different ensemble (d has the largest weight): post-filtering the full numbers would not match.
  assert.notDeepEqual(sel.ensemble.metrics, whole.ensemble.metrics);
  assert.deepEqual(sel.members.slice(0, 3), sub.members);
  // d keeps its own metrics (the same as in the full report) but is out of the ensemble.
  const d = sel.members.find((m) => m.id === 'd');
  assert.equal(d?.excluded, true);
  assert.deepEqual(d?.metrics, whole.members.find((m) => m.id === 'd')?.metrics);
  assert.equal(whole.members.some((m) => m.excluded), false);
  assert.equal(whole.memberSelection, undefined);
  assert.deepEqual(analyzeReport(sel).findings, analyzeReport(sub).findings);
});

test('selecting every member (or only unknown ids) is no selection', () => {
  const full = config(ALL, WEIGHTS);
  const all = outputs(ALL);
  const every = report(full, all, [...ALL].reverse());
  assert.equal(every.memberSelection, undefined);
  assert.deepEqual(every.ensemble, report(full, all).ensemble);
  assert.deepEqual(effectiveSelection(ALL, ['d', 'x', 'b']), ['b', 'd']);
  assert.equal(effectiveSelection(ALL, ALL), undefined);
  assert.equal(effectiveSelection(ALL, ['x']), undefined);
  assert.equal(effectiveSelection(ALL, undefined), undefined);
  assert.notEqual(selectionKey(['a', 'b']), selectionKey(['a', 'c']));
  assert.equal(selectionKey(undefined), '');
});

test('the editor shows the subset ensemble; an excluded member shows its own numbers and no findings', () => {
  const cfg = config(ALL, WEIGHTS);
  const all = outputs(ALL);
  const sel = report(cfg, all, ['a', 'b', 'c']);
  const sub = report(config(['a', 'b', 'c'], WEIGHTS), { ...all, members: all.members.filter((m) => m.id !== 'd') });
  const cache = Object.fromEntries(ALL.map((id) => [id, { state: 'trained' as const, key: `k${id}` }]));
  const reportKeys = Object.fromEntries(ALL.map((id) => [id, `k${id}`]));
  // A low ECE threshold makes every member "miscalibrated": d still gets no finding.
  const views = buildViews({ config: cfg, cache, report: sel, reportKeys, selection: ['a', 'b', 'c'], findingOptions: { poorEce: 0 } });
  const subViews = buildViews({ config: config(['a', 'b', 'c'], WEIGHTS), cache, report: sub, reportKeys, findingOptions: { poorEce: 0 } });
  assert.deepEqual(views.ensemble.metrics, subViews.ensemble.metrics);
  assert.deepEqual({ total: views.ensemble.total, trained: views.ensemble.trained, selection: views.ensemble.selection }, { total: 3, trained: 3, selection: { selected: 3, of: 4 } });
  assert.deepEqual(views.findings, subViews.findings);
  assert.ok(views.findings.length >= 3);
  assert.equal(views.findings.some((f) => f.memberId === 'd'), false);
  const d = views.members.find((m) => m.id === 'd')!;
  assert.equal(d.excluded, true);
  assert.equal(d.health, undefined);
  assert.equal(d.loo, undefined);
  assert.equal(d.closest, undefined);
  assert.equal(d.metrics?.accuracy, (sel.members.find((m) => m.id === 'd')?.metrics as { accuracy?: number } | undefined)?.accuracy);
  assert.match(annotationText(d), /^excluded from selection · acc \d+\.\d% · NLL \d/);
  assert.deepEqual(views.members.filter((m) => m.id !== 'd'), subViews.members);
  const line = ensembleAnnotationText(views.ensemble);
  assert.equal(line, `${ensembleAnnotationText(subViews.ensemble)} · 3 of 4 selected`);
  // A repeat group with one member out: the group's numbers are over the selected one, the other counted.
  const g = groupAnnotationText([{ ...views.members[0], groupId: 'g' }, { ...d, groupId: 'g' }]);
  assert.match(g, /^g ×2 · acc \d+\.\d% ±0\.0 · .* · 1 excluded from selection$/);
});

test('findings thresholds: calibration ECE and hurt tolerance decide which findings appear', () => {
  const r = handReport();
  const kinds = (opts: Parameters<typeof analyzeReport>[1]) => analyzeReport(r, opts).findings.filter((f) => f.kind !== 'failed' && f.kind !== 'redundant').map((f) => `${f.kind}:${f.memberId}`).sort();
  assert.deepEqual(kinds({}), ['hurting:d', 'miscalibrated:c']);
  // c's ECE is 0.15; d leaving lowers NLL 0.18 -> 0.17 (5.6 %).
  assert.deepEqual(kinds({ poorEce: 0.2 }), ['hurting:d']);
  assert.deepEqual(kinds({ poorEce: 0.04 }), ['hurting:d', 'miscalibrated:c', 'miscalibrated:d']);
  assert.deepEqual(kinds({ hurtTolerance: 0.05 }), ['hurting:d', 'miscalibrated:c']);
  assert.deepEqual(kinds({ hurtTolerance: 0.06 }), ['miscalibrated:c']);
});

test('members a report marks excluded get no findings, and do not count toward "3 or more members"', () => {
  const r = handReport();
  const excluded = { ...r, members: r.members.map((m) => (m.id === 'c' || m.id === 'e' ? { ...m, excluded: true } : m)) };
  const f = analyzeReport(excluded).findings;
  assert.equal(f.some((x) => x.memberId === 'c' || x.memberId === 'e'), false);
  // a, b, d remain: 3 members, so d still hurts; with b excluded too, 2 remain and nothing "hurts".
  assert.ok(f.some((x) => x.kind === 'hurting' && x.memberId === 'd'));
  const two = { ...r, members: r.members.map((m) => (['b', 'c', 'e'].includes(m.id) ? { ...m, excluded: true } : m)) };
  assert.equal(analyzeReport(two).findings.some((x) => x.kind === 'hurting'), false);
});
