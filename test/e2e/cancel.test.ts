// "Ensemble Lens: Cancel Training" from the command palette during a run, as a person stops a long
// training: the run ends as cancelled, the member it interrupted is back to not trained, and only the
// member that had finished is in the cache.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session, e2eAvailable } from './harness';

const skip = e2eAvailable();

/**
 * Real MNIST digits: `linear` (one epoch) is done in a second or two; `mlp` would train for minutes
 * (300 epochs of 8,000 digits), so it is still training whenever the palette command arrives.
 */
const CONFIG = `// Written by test/e2e/cancel.test.ts.
{
  "task": "classification",
  "data": { "source": "mnist", "train": 8000, "test": 1000, "seed": 1 },
  "defaults": { "batchSize": 64, "optimizer": "adam", "learningRate": 0.001 },
  "members": [
    { "id": "linear", "epochs": 1, "layers": [ { "type": "flatten" }, { "type": "dense", "units": 10, "activation": "softmax" } ] },
    { "id": "mlp", "epochs": 300, "layers": [ { "type": "flatten" },
        { "type": "dense", "units": 128, "activation": "relu" },
        { "type": "dense", "units": 10, "activation": "softmax" } ] }
  ]
}
`;

/** Every folder in the cache's entries (finished or not) and the member id of each finished one. */
function cacheEntries(workspace: string): { dirs: string[]; members: string[] } {
  const entries = join(workspace, '.ensemble-lens/entries');
  const dirs = existsSync(entries) ? readdirSync(entries) : [];
  const members = dirs
    .filter((k) => existsSync(join(entries, k, 'meta.json')))
    .map((k) => (JSON.parse(readFileSync(join(entries, k, 'meta.json'), 'utf8')) as { memberId: string }).memberId);
  return { dirs, members };
}

describe('Cancel Training from the palette', { skip, timeout: 240_000 }, () => {
  let s: Session;
  const line: Record<string, number> = {};

  before(async () => {
    s = await Session.start({ name: 'cancel', prepare: async (ws) => writeFileSync(join(ws, 'mnist.ensemble.json'), CONFIG) });
    CONFIG.split('\n').forEach((l, i) => {
      const m = /"id":\s*"([^"]+)"/.exec(l);
      if (m) line[m[1]] = i + 1;
    });
  });
  after(async () => {
    await s?.close();
  });

  test('cancelling a run stops the member in training; it is not trained and nothing of it is cached', async () => {
    await s.openFile('mnist.ensemble.json');
    await s.waitForLines((ls) => /^not trained$/.test(ls.find((l) => l.line === line.mlp)?.after ?? ''), 'mlp: not trained');
    await s.command('Ensemble Lens: Train Ensemble');
    const toast = s.page.locator('.notification-toast', { hasText: 'training mnist.ensemble.json' }).first();
    await toast.waitFor({ timeout: 30_000 });
    // linear done, mlp in its epochs.
    await s.waitFor(async () => /1\/2 · mlp epoch \d+\/300/.test(await toast.innerText()), 'linear done and mlp training', 90_000);
    const status = s.page.locator('.statusbar-item', { hasText: 'Ensemble Lens ·' }).first();
    await s.waitFor(async () => /Ensemble Lens · (wasm|cpu|tensorflow) · 1\/2 · mlp \d+\/300/.test(await status.innerText()), 'the run in the status bar');
    await s.screenshot('training');

    await s.command('Ensemble Lens: Cancel Training');
    const msg = await s.waitForNotification(/mnist\.ensemble\.json (cancelled|done)/, 60_000);
    assert.match(msg, /mnist\.ensemble\.json cancelled: 1 trained, 0 from cache, 0 failed/);
    await toast.waitFor({ state: 'hidden', timeout: 15_000 });
    // The status bar is back to the config's count: no run any more.
    await s.waitFor(async () => (await s.page.locator('.statusbar-item').allInnerTexts()).some((t) => /^\s*1\/2 trained/.test(t)), 'status bar: 1/2 trained');
    assert.equal(await s.page.locator('.statusbar-item', { hasText: 'Ensemble Lens ·' }).count(), 0, 'no run in the status bar');
    await s.waitForLines((ls) => /^not trained$/.test(ls.find((l) => l.line === line.mlp)?.after ?? '') && /^acc \d+\.\d%/.test(ls.find((l) => l.line === line.linear)?.after ?? ''), 'mlp not trained, linear with numbers');
    await s.page.locator('.codelens-decoration', { hasText: 'Train all' }).first().waitFor({ timeout: 20_000 });
    assert.equal(await s.page.locator('.codelens-decoration', { hasText: 'Cancel training' }).count(), 0, 'no Cancel CodeLens after the run');
    const membersLine = CONFIG.split('\n').findIndex((l) => l.includes('"members"')) + 1;
    await s.waitForLines((ls) => /^ensemble acc \d+\.\d% · NLL [\d.]+ · 1\/2 trained$/.test(ls.find((l) => l.line === membersLine)?.after ?? ''), 'the ensemble of the one trained member');
    await s.screenshot('cancelled');

    const cache = cacheEntries(s.workspace);
    assert.deepEqual(cache.members, ['linear'], 'only the finished member is cached');
    assert.equal(cache.dirs.length, 1, `nothing half-written for mlp: ${cache.dirs.join(', ')}`);
    // Nothing runs any more: the command is gone from the palette (its enablement is "training").
    await s.page.keyboard.press('F1');
    const input = s.page.locator('.quick-input-widget input');
    await input.fill('>Ensemble Lens: Cancel Training');
    await s.page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 10_000 });
    const rows = await s.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
    await s.page.keyboard.press('Escape');
    assert.ok(!rows.some((r) => /Ensemble Lens: Cancel Training/.test(r)), rows.join(' | '));
  });
});
