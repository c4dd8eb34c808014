// The packaged extension: `npm run package` builds a .vsix that holds only what runs, and the CLI
// inside it works outside the repository (its own onnxruntime-node, wasm files and MNIST data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

test('the .vsix contains the bundles, wasm, data, schema and the native ONNX binding, and no sources or tests', { timeout: 600_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'el-vsix-'));
  const vsix = join(out, 'ensemble-lens.vsix');
  const b = spawnSync('npm', ['run', 'package', '--', '-o', vsix], { cwd: root, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stdout + b.stderr);
  const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const has = (re: RegExp) => list.some((f) => re.test(f));
  for (const re of [
    /^extension\/dist\/extension\.js$/,
    /^extension\/dist\/worker\.js$/,
    /^extension\/dist\/attackWorker\.js$/,
    /^extension\/dist\/reportWorker\.js$/,
    /^extension\/dist\/analysisWorker\.js$/,
    /^extension\/dist\/cli\.js$/,
    /^extension\/dist\/dashboard\.js$/,
    /^extension\/dist\/wasm\/tfjs-backend-wasm\.wasm$/,
    /^extension\/media\/data\/mnist\.bin$/,
    /^extension\/schemas\/ensemble\.schema\.json$/,
    /^extension\/dist\/node_modules\/onnxruntime-node\/bin\/napi-v6\/linux\/x64\/onnxruntime_binding\.node$/,
  ])
    assert.ok(has(re), `missing ${re}`);
  for (const re of [/^extension\/src\//, /^extension\/test\//, /\.ts$/, /\.map$/, /^extension\/examples\//, /^extension\/node_modules\//, /win32|darwin/])
    assert.ok(!has(re), `should not contain ${re}: ${list.filter((f) => re.test(f)).slice(0, 3).join(', ')}`);

  // Unpacked away from the repository, the packaged CLI runs an ONNX member with its own onnxruntime.
  const x = join(out, 'x');
  assert.equal(spawnSync('unzip', ['-q', vsix, '-d', x]).status, 0);
  const ws = join(out, 'ws');
  cpSync(join(root, 'test/fixtures/models/iris_mlp.onnx'), join(ws, 'iris_mlp.onnx'));
  writeFileSync(join(ws, 'onnx.ensemble.json'), '{ "data": { "source": "iris", "test": 30 }, "members": [ { "id": "torch", "model": "iris_mlp.onnx" } ] }');
  const r = spawnSync(process.execPath, [join(x, 'extension/dist/cli.js'), 'report', 'onnx.ensemble.json', '--json', 'r.json'], { cwd: ws, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const report = JSON.parse(readFileSync(join(ws, 'r.json'), 'utf8'));
  assert.equal(report.members[0].state, 'ok');
  assert.ok(report.members[0].metrics.accuracy > 0.8, `ONNX iris accuracy ${report.members[0].metrics.accuracy}`);
});
