// The built CLI (dist/cli.js) as a user runs it: exit codes, messages with file:line:col, reports, Ctrl-C.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, cpSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const cli = join(root, 'dist/cli.js');
before(() => {
  if (!existsSync(cli)) assert.equal(spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status, 0);
});

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'el-cli-'));
  cpSync(join(root, 'examples/oof'), join(dir, 'oof'), { recursive: true });
  cpSync(join(root, 'examples/stacking-oof.ensemble.json'), join(dir, 'stack.ensemble.json'));
  return dir;
}

test('validate: exit 0 on a good config', () => {
  const r = run(['validate', join(root, 'examples/mnist-deep.ensemble.json')], root);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /ok \(5 members\)/);
});

test('validate: exit 1 and every problem as file:line:col', () => {
  const dir = workspace();
  writeFileSync(
    join(dir, 'bad.ensemble.json'),
    ['{', '  "data": { "source": "mnist" },', '  "members": [', '    { "id": "a", "layers": [ { "type": "dense", "unitz": 10 } ] },', '    { "id": "a", "predictions": "nope.csv" }', '  ]', '}'].join('\n'),
  );
  const r = run(['validate', 'bad.ensemble.json'], dir);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  // unknown property `unitz` on line 4, column 49 (1-based) — counted by hand
  assert.ok(lines.some((l) => l.startsWith('bad.ensemble.json:4:49: error:') && /unitz/.test(l)), r.out);
  assert.ok(lines.includes('bad.ensemble.json:4:30: error: members[0].layers[0]: missing required property `units`'), r.out);
  assert.ok(lines.some((l) => /^bad\.ensemble\.json:5:13: error: .*duplicate/i.test(l)), r.out);
  assert.ok(lines.some((l) => /^bad\.ensemble\.json:5:\d+: error: .*nope\.csv/.test(l)), r.out);
});

test('invalid JSON names the line and column', () => {
  const dir = workspace();
  writeFileSync(join(dir, 'broken.ensemble.json'), '{\n  "members": [\n    { "id": "a" \n  ]\n}\n');
  const r = run(['validate', 'broken.ensemble.json'], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /^broken\.ensemble\.json:\d+:\d+: error: /m);
});

test('usage errors exit 2; a missing file exits 1 with its name', () => {
  const dir = workspace();
  assert.equal(run([], dir).code, 2);
  assert.equal(run(['frobnicate', 'x.json'], dir).code, 2);
  assert.equal(run(['train', 'stack.ensemble.json', '--workers', 'zero'], dir).code, 2);
  assert.equal(run(['train', 'stack.ensemble.json', '--backend', 'gpu'], dir).code, 2);
  const r = run(['validate', 'missing.ensemble.json'], dir);
  assert.equal(r.code, 1);
  assert.match(r.err, /missing\.ensemble\.json: no such file/);
});

test('report --json writes the documented report and a summary', () => {
  const dir = workspace();
  const r = run(['report', 'stack.ensemble.json', '--json', 'out/report.json'], dir);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
  assert.equal(report.format, 'ensemble-lens-report');
  assert.deepEqual(report.members.map((m: { id: string }) => m.id), ['logreg', 'forest', 'extra-trees', 'gbm', 'knn', 'naive-bayes']);
  for (const m of report.members) for (const k of ['accuracy', 'nll', 'brier', 'ece']) assert.equal(typeof m.metrics[k], 'number');
  // logreg's accuracy recomputed from its file: argmax of each row vs the labels file
  const labels = readFileSync(join(dir, 'oof/labels.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
  const rows = readFileSync(join(dir, 'oof/logreg.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const acc = rows.filter((p, i) => (p[1] > p[0] ? 1 : 0) === labels[i]).length / labels.length;
  assert.equal(report.members[0].metrics.accuracy, acc);
  for (const s of ['diversity', 'uncertainty', 'calibration', 'contributions', 'selection', 'stacking']) assert.ok(report[s], s);
  assert.match(r.out, /Ensemble vs best member \(logreg\)/);
});

test('report --member analyses just the members named; an unknown id is a usage error', () => {
  const dir = workspace();
  const ids = ['logreg', 'forest', 'knn'];
  const r = run(['report', 'stack.ensemble.json', '--json', 'sel.json', ...ids.flatMap((id) => ['--member', id])], dir);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(readFileSync(join(dir, 'sel.json'), 'utf8'));
  assert.deepEqual(report.memberSelection, ids);
  assert.deepEqual(report.ensemble.members, ids);
  assert.deepEqual(report.members.filter((m: { excluded?: boolean }) => m.excluded).map((m: { id: string }) => m.id), ['extra-trees', 'gbm', 'naive-bayes']);
  // the ensemble's accuracy recomputed from the three files: mean probability of class 1 > 0.5
  const read = (f: string) => readFileSync(join(dir, 'oof', f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const labels = read('labels.csv').map((l) => l[0]);
  const files = ids.map((id) => read(`${id}.csv`));
  const acc = labels.filter((y, i) => (files.reduce((a, f) => a + f[i][1] - f[i][0], 0) > 0 ? 1 : 0) === y).length / labels.length;
  assert.equal(report.ensemble.metrics.accuracy, acc);
  assert.equal(report.diversity.disagreement.length, 3);
  assert.match(r.out, /member selection: 3 of 6 \(excluded: extra-trees, gbm, naive-bayes\)/);
  assert.doesNotMatch(r.out, /not-trained/);
  const bad = run(['report', 'stack.ensemble.json', '--member', 'logreg', '--member', 'svm'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--member: no member 'svm' in stack\.ensemble\.json \(members: logreg, forest, extra-trees, gbm, knn, naive-bayes\)/);
});

test("the config's analysis block drives the report (bins, selection metric, stacking grid)", () => {
  const dir = workspace();
  const text = readFileSync(join(dir, 'stack.ensemble.json'), 'utf8').replace(
    '"combine": "mean"',
    '"combine": "mean",\n  "analysis": { "eceBins": 4, "selection": { "metric": "accuracy", "steps": 7 }, "stacking": { "alphas": [0.5, 5000], "folds": 3 } }',
  );
  writeFileSync(join(dir, 'stack.ensemble.json'), text);
  const r = run(['report', 'stack.ensemble.json', '--json', 'a.json'], dir);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
  assert.equal(report.calibration.bins, 4);
  assert.equal(report.calibration.ensemble.bins.length, 4);
  assert.equal(report.selection.metric, 'accuracy');
  assert.equal(report.selection.runs[0].trajectory.length, 7);
  assert.deepEqual(report.stacking.alphas, [0.5, 5000]);
  assert.equal(report.stacking.cvScores.length, 2);
  writeFileSync(join(dir, 'stack.ensemble.json'), text.replace('"metric": "accuracy"', '"metric": "rmse"'));
  const v = run(['validate', 'stack.ensemble.json'], dir);
  assert.equal(v.code, 1);
  assert.match(v.out, /^stack\.ensemble\.json:\d+:\d+: error: analysis\.selection\.metric: selection metric "rmse" does not fit a classification task/m);
});

test('a prediction file with the wrong row count fails with its name, exit 1', () => {
  const dir = workspace();
  const p = join(dir, 'oof/knn.csv');
  writeFileSync(p, readFileSync(p, 'utf8').trim().split('\n').slice(0, -1).join('\n') + '\n');
  const r = run(['train', 'stack.ensemble.json'], dir);
  assert.equal(r.code, 1);
  assert.match(r.err, /knn\.csv.*568 rows, but the test split has 569 samples|568 rows/);
});

test('classification labels that are not class indices: exit 1 at file:line:col, for cached members too', () => {
  const dir = workspace();
  assert.equal(run(['report', 'stack.ensemble.json'], dir).code, 0); // members cached with good labels
  const p = join(dir, 'oof/labels.csv');
  const good = readFileSync(p, 'utf8');
  for (const bad of ['-1', '1.5']) {
    const rows = good.split('\n');
    rows[3] = bad; // line 4: the third label
    writeFileSync(p, rows.join('\n'));
    const r = run(['report', 'stack.ensemble.json'], dir);
    assert.equal(r.code, 1, r.err);
    assert.doesNotMatch(r.err, /internal error/);
    assert.match(r.err, new RegExp(`labels\\.csv:4:1: labels: row 3 is ${bad.replace('.', '\\.')}, not a class index`));
  }
});

test('Ctrl-C stops training cleanly: exit 130, finished members stay cached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-sigint-'));
  const layers = '[ { "type": "dense", "units": 16, "activation": "relu" }, { "type": "dense", "units": 2, "activation": "softmax" } ]';
  writeFileSync(
    join(dir, 'long.ensemble.json'),
    `{ "data": { "source": "moons", "samples": 400 }, "members": [
      { "id": "quick", "epochs": 2, "layers": ${layers} },
      { "id": "slow", "epochs": 10000, "layers": ${layers} } ] }`,
  );
  const child = spawn(process.execPath, [cli, 'train', 'long.ensemble.json', '--workers', '1'], { cwd: dir });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (/slow: epoch 2\//.test(err) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.equal(code, 130, err);
  assert.match(err, /interrupted/);
  assert.match(err, /trained 1, cached 0, failed 0, cancelled/);
  const entries = readdirSync(join(dir, '.ensemble-lens/entries'));
  assert.equal(entries.filter((e) => !e.startsWith('.')).length, 1);
  // the next run trains only the member that was interrupted
  const r = run(['validate', 'long.ensemble.json'], dir);
  assert.equal(r.code, 0);
});
