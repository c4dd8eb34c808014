// The editor's work on a 200-member config, per keystroke and per idle re-parse (the pure parts the
// extension runs on the host thread; VS Code's own rendering is not included):
//  - keystroke: EditTracker.apply (marks the edited member stale, maps every member's ranges);
//  - idle parse: parseConfig (JSONC + schema + semantic checks) and buildViews + annotation text for
//    every member, with a report of 200 members over 500 test samples.
// Run: node --import tsx bench/editor.bench.ts
import { parseConfig } from '../src/core/config/parse';
import { analyzeEnsemble } from '../src/core/analysis/analyze';
import { assembleReport } from '../src/core/report';
import { EditTracker } from '../src/extension/logic/editTracker';
import { buildViews } from '../src/extension/logic/memberView';
import { annotationText } from '../src/extension/logic/format';
import { createRng } from '../src/core/data/random';

const M = 200;
const N = 500;
const C = 10;
const entries = Array.from({ length: M }, (_, i) => `    { "id": "m${i}", "seed": ${i}, "layers": [ { "type": "flatten" }, { "type": "dense", "units": ${32 + (i % 4) * 16}, "activation": "relu" }, { "type": "dense", "units": 10, "activation": "softmax" } ] }`);
const text = `{\n  "data": { "source": "mnist", "train": 8000, "test": 2000 },\n  "members": [\n${entries.join(',\n')}\n  ]\n}\n`;
const file = '/bench/big.ensemble.json';

function time(label: string, reps: number, f: () => void): void {
  f();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} median ${ts[Math.floor(reps / 2)].toFixed(2).padStart(7)} ms   p90 ${ts[Math.floor(reps * 0.9)].toFixed(2).padStart(7)} ms`);
}

const { config } = parseConfig(text, file);
if (!config) throw new Error('bench config does not parse');
const rng = createRng(1);
const labels = Float32Array.from({ length: N }, () => rng.int(C));
const members = config.members.map((m) => {
  const v = new Float32Array(N * C);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += v[i * C + c] = rng.next() + (c === labels[i] ? 3 : 0);
    for (let c = 0; c < C; c++) v[i * C + c] /= s;
  }
  return { id: m.id, values: v };
});
const analysis = analyzeEnsemble({ task: 'classification', labels, numClasses: C, nTest: N, members });
const runs = new Map(config.members.map((m) => [m.id, { state: 'ok' as const }]));
const report = assembleReport({ config, configFile: file, toolVersion: 'bench', data: { source: 'mnist', nTest: N, numClasses: C }, runs, analysis });
const cache = Object.fromEntries(config.members.map((m) => [m.id, { state: 'trained' as const, key: m.id }]));
const reportKeys = Object.fromEntries(config.members.map((m) => [m.id, m.id]));

console.log(`editor work on a ${M}-member config (${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KiB)`);
const tracker = new EditTracker();
const tracked = config.members.map((m) => ({ id: m.id, range: m.range, idRange: m.idRange }));
time('keystroke: EditTracker.apply (mid-file member)', 200, () => {
  tracker.reset(tracked);
  tracker.apply([{ range: { start: { line: 100, character: 40 }, end: { line: 100, character: 40 } }, text: '1' }]);
});
time('idle parse: parseConfig', 50, () => {
  parseConfig(text, file);
});
time('idle parse: buildViews + annotation text (200 lines)', 50, () => {
  const v = buildViews({ config, cache, report, reportKeys });
  for (const m of v.members) annotationText(m);
});
