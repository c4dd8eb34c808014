// `npm run bench`: runs every bench/*.bench.ts in its own process, one after another, so that one
// benchmark's memory or threads never disturb the next. Each prints its own table.
// The benchmarks of pure code (BUNDLED) run as esbuild bundles with the build's options, as the extension and
// the CLI ship it: under tsx every module is transformed on its own, and each call of an imported function
// becomes a property read through a getter (measured: the M = 8 analysis ~20% slower than bundled).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { nodeBundleOptions } from '../scripts/esbuildNode.mjs';

const BUNDLED = new Set(['analysis.bench.ts']);

const dir = __dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const args = BUNDLED.has(f) ? [bundle(f)] : ['--import', 'tsx', join(dir, f)];
  const r = spawnSync(process.execPath, ['--expose-gc', ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

/** Bundles bench/<f> to dist/bench/<f>.js (next to the worker bundles it starts) and returns that path. */
function bundle(f: string): string {
  const out = join(dir, '..', 'dist', 'bench', f.replace(/\.ts$/, '.js'));
  buildSync({ ...nodeBundleOptions(), entryPoints: [join(dir, f)], outfile: out, sourcemap: false });
  return out;
}
