// Workspace Trust: opened in Restricted Mode ("No, I don't trust the authors"), Ensemble Lens still
// validates configs and shows cached results read-only (in the editor and the dashboard), but trains,
// attacks and evaluates nothing, and says why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session, e2eAvailable } from './harness';
import { parseConfig } from '../../src/core/config/parse';
import { trainEnsemble } from '../../src/engine/run';

const skip = e2eAvailable();

/** Trains the moons config into the workspace's cache, as an earlier trusted session would have. */
async function seedCache(workspace: string): Promise<void> {
  const file = join(workspace, 'moons.ensemble.json');
  const { config, problems } = parseConfig(readFileSync(file, 'utf8'), file);
  assert.ok(config, JSON.stringify(problems));
  const summary = await trainEnsemble(config, { workers: 2 });
  assert.deepEqual(summary.failed, []);
  assert.equal(summary.trained.length, 4);
}

function cacheEntries(workspace: string): string[] {
  return readdirSync(join(workspace, '.ensemble-lens'), { recursive: true }).map(String).sort();
}

describe('Restricted Mode', { skip, timeout: 240_000 }, () => {
  let s: Session;
  let before_: string[];

  before(async () => {
    s = await Session.start({ name: 'trust', trust: true, prepare: seedCache });
    before_ = cacheEntries(s.workspace);
  });
  after(async () => {
    await s?.close();
  });

  test('choosing "No, I don\'t trust the authors" opens Restricted Mode', async () => {
    const no = s.page.locator('.monaco-dialog-box a.monaco-button, .monaco-dialog-box button', { hasText: "No, I don't trust the authors" });
    await no.first().waitFor({ timeout: 30_000 });
    await s.screenshot('trust-dialog');
    await no.first().click();
    await s.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 15_000 });
  });

  test('cached results are shown read-only and configs are still validated', async () => {
    await s.openFile('moons.ensemble.json');
    const text = readFileSync(join(s.workspace, 'moons.ensemble.json'), 'utf8').split('\n');
    const deep = text.findIndex((l) => l.includes('"id": "deep"')) + 1;
    await s.waitForLines((ls) => /^acc \d+\.\d%/.test(ls.find((l) => l.line === deep)?.after ?? ''), 'cached numbers on deep');
    await s.screenshot('restricted-cached-results');
    await s.openFile('broken.ensemble.json');
    await s.command('Focus on Problems View');
    await s.waitFor(async () => (await s.page.locator('.markers-panel .monaco-list-row').allInnerTexts()).some((t) => /dence/.test(t)), 'problems of broken config');
  });

  test('Train Ensemble explains that training is disabled, and trains nothing', async () => {
    await s.openFile('moons.ensemble.json');
    await s.command('Ensemble Lens: Train Ensemble');
    const msg = await s.waitForNotification(/Restricted Mode/, 15_000);
    assert.match(msg, /training is disabled in Restricted Mode/);
    assert.match(msg, /Trust this workspace to train\./);
    await s.screenshot('restricted-train-refused');
    await s.command('Ensemble Lens: Train Member');
    await s.page.waitForTimeout(1000);
    const open = await s.page.locator('.quick-input-widget:visible .monaco-list-row').count();
    assert.equal(open, 0, 'no member picker: the command stops before asking');
    assert.deepEqual(cacheEntries(s.workspace), before_, 'the cache is untouched');
  });

  test('the dashboard opens on the cached numbers', async () => {
    await s.openFile('moons.ensemble.json');
    await s.command('Ensemble Lens: Open Dashboard');
    const frame = await s.webviewFrame('vscode-tab-panel[data-tab="overview"] tr[data-key="deep"]', 60_000);
    for (const id of ['linear', 'small#1', 'small#2', 'deep']) {
      const row = await frame.locator(`vscode-tab-panel[data-tab="overview"] tr[data-key="${id}"]`).innerText();
      assert.match(row, /trained/, `${id}: ${row}`);
      assert.match(row, /\d+\.\d+%/, `${id} has its accuracy: ${row}`);
    }
    assert.match(await frame.locator('.meta').first().innerText(), /4\/4 members analysed/);
    await s.screenshot('restricted-dashboard');
  });

  test('Compute Transferability explains that it is disabled; the dashboard says it was not computed', async () => {
    await s.command('Notifications: Clear All Notifications');
    await s.command('Ensemble Lens: Compute Transferability');
    const msg = await s.waitForNotification(/Restricted Mode/, 15_000);
    assert.match(msg, /computing transferability is disabled in Restricted Mode/);
    assert.match(msg, /Trust this workspace to attack its members\./);
    assert.equal(await s.page.locator('.quick-input-widget .monaco-list-row:visible').count(), 0, 'refused before asking which config');
    await s.page.locator('.tab', { hasText: 'Dashboard: moons' }).first().click();
    const frame = await s.webviewFrame('vscode-tab-header[data-tab="transferability"]');
    await frame.click('vscode-tab-header[data-tab="transferability"]');
    await s.waitFor(async () => /Transferability has not been computed[\s\S]*Restricted Mode does not allow: trust the workspace/.test(await frame.locator('vscode-tab-panel[data-tab="transferability"]').innerText()), 'the empty Transferability tab, saying why');
    await s.screenshot('restricted-transferability-refused');
  });

  test("Train Member from a member's context menu in the sidebar explains that training is disabled", async () => {
    await s.command('Notifications: Clear All Notifications');
    await s.command('Ensemble Lens: Focus on Ensembles View');
    await s.waitForTree('Ensembles', (rows) => rows.some((r) => /^deep.*acc \d+\.\d%/.test(r.label)));
    await s.treeContextMenu('Ensembles', 'deep', 'Train Member');
    const msg = await s.waitForNotification(/Restricted Mode/, 15_000);
    assert.match(msg, /training is disabled in Restricted Mode/);
    await s.screenshot('restricted-train-member-refused');
  });

  test('nothing was trained, attacked or evaluated: the cache is as it was', async () => {
    assert.deepEqual(cacheEntries(s.workspace), before_);
  });
});
