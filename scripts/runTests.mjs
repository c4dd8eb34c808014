// Runs the test suites with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/runTests.mjs [unit|e2e|all]   (default: all)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (/\.test\.(ts|mts)$/.test(name)) out.push(p);
  }
  return out;
}

const which = process.argv[2] ?? 'all';
const suites = which === 'all' ? ['unit', 'e2e'] : [which];
const files = suites.flatMap((s) => find(join('test', s)));
// The end-to-end suite needs code-server, playwright-core and Debian's Chromium: install them once.
if (suites.includes('e2e') && files.some((f) => f.includes(`${join('test', 'e2e')}`)) && existsSync('scripts/setupE2E.sh')) {
  const s = spawnSync('bash', ['scripts/setupE2E.sh'], { stdio: 'inherit' });
  if (s.status !== 0) process.exit(s.status ?? 1);
}
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, ENSEMBLE_LENS_TEST: '1' } },
);
process.exit(r.status ?? 1);
