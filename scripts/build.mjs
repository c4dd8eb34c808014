// Builds every bundle with esbuild: the extension (CommonJS, vscode external), the training worker,
// the CLI, and the dashboard webview (browser IIFE) when it exists. Also prepares packaged data
// (the MNIST binary) and copies the wasm backend's .wasm files next to the bundles.
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { nodeBundleOptions } from './esbuildNode.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Packaged data (converted once; skipped when up to date).
if (existsSync(join(root, 'scripts/buildData.mjs'))) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/buildData.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The wasm backend's binaries, located explicitly at run time (see src/engine/tf/backend.ts).
const wasmSrc = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const wasmDst = join(root, 'dist/wasm');
mkdirSync(wasmDst, { recursive: true });
for (const f of readdirSync(wasmSrc).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmSrc, f), join(wasmDst, f));

// A packaged extension carries onnxruntime-node (a native module, not bundled) in dist/node_modules,
// which `require` finds from dist/*.js: only its JS, and the native binding of this platform.
if (production) {
  const { cpSync, rmSync } = await import('node:fs');
  const nm = join(root, 'dist/node_modules');
  rmSync(nm, { recursive: true, force: true });
  const ort = join(root, 'node_modules/onnxruntime-node');
  const plat = `bin/napi-v6/${process.platform}/${process.arch}`;
  const runtimeOnly = { recursive: true, filter: (src) => !/\.(d\.ts|map|ts)$/.test(src) };
  for (const part of ['package.json', 'dist', plat]) cpSync(join(ort, part), join(nm, 'onnxruntime-node', part), runtimeOnly);
  const common = join(root, 'node_modules/onnxruntime-common');
  for (const part of ['package.json', 'dist/cjs']) cpSync(join(common, part), join(nm, 'onnxruntime-common', part), runtimeOnly);
}

const nodeCommon = nodeBundleOptions(production);

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension/extension.ts' } },
  { ...nodeCommon, entryPoints: { worker: 'src/engine/pool/worker.ts' } },
  { ...nodeCommon, entryPoints: { attackWorker: 'src/engine/attack/attackWorker.ts' } },
  { ...nodeCommon, entryPoints: { reportWorker: 'src/engine/reportWorker/worker.ts' } },
  { ...nodeCommon, entryPoints: { analysisWorker: 'src/engine/analysis/sideWorker.ts' } },
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync(join(root, 'webview/main.ts'))) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { dashboard: 'webview/main.ts' },
    loader: { '.ttf': 'file', '.css': 'css' },
  });
}

const present = builds.filter((b) => Object.values(b.entryPoints).every((e) => existsSync(join(root, e))));
const opts = present.map((b) => ({ ...b, absWorkingDir: root, outdir: join(root, 'dist') }));
if (watch) {
  for (const o of opts) (await esbuild.context(o)).watch();
  console.log('watching…');
} else {
  await Promise.all(opts.map((o) => esbuild.build(o)));
  console.log(`built ${opts.map((o) => Object.keys(o.entryPoints)[0]).join(', ')} -> dist/`);
}
