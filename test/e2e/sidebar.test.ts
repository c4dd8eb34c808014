// The sidebar's context menu on a member, as a person uses it: right-click a member row of the
// Ensembles view and pick Reveal in Config (its id selected in the config), Train Member (only that
// member trains) or Open Dashboard (the dashboard opens with that member selected).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session, e2eAvailable } from './harness';
import { parseConfig } from '../../src/core/config/parse';
import { trainEnsemble } from '../../src/engine/run';

const skip = e2eAvailable();

/** Trains every moons member but `deep` into the cache, so the session has one member left to train. */
async function seedAllButDeep(workspace: string): Promise<void> {
  const file = join(workspace, 'moons.ensemble.json');
  const { config, problems } = parseConfig(readFileSync(file, 'utf8'), file);
  assert.ok(config, JSON.stringify(problems));
  const summary = await trainEnsemble(config, { workers: 2, only: ['linear', 'small#1', 'small#2'] });
  assert.deepEqual(summary.failed, []);
  assert.equal(summary.trained.length, 3);
}

/** The member ids of the cache's entries. */
function cachedMembers(workspace: string): string[] {
  const entries = join(workspace, '.ensemble-lens/entries');
  if (!existsSync(entries)) return [];
  return readdirSync(entries)
    .filter((k) => existsSync(join(entries, k, 'meta.json')))
    .map((k) => (JSON.parse(readFileSync(join(entries, k, 'meta.json'), 'utf8')) as { memberId: string }).memberId)
    .sort();
}

describe("sidebar: a member's context menu", { skip, timeout: 240_000 }, () => {
  let s: Session;
  const line: Record<string, number> = {};

  before(async () => {
    s = await Session.start({ name: 'sidebar', prepare: seedAllButDeep });
    readFileSync(join(s.workspace, 'moons.ensemble.json'), 'utf8')
      .split('\n')
      .forEach((l, i) => {
        const m = /"id":\s*"([^"]+)"/.exec(l);
        if (m) line[m[1]] = i + 1;
      });
  });
  after(async () => {
    await s?.close();
  });

  /** The editor's cursor position in the status bar ("Ln 12, Col 14 (4 selected)"). */
  const cursor = () => s.page.locator('.statusbar-item[id$="status.editor.selection"]').first().innerText();

  test('right-clicking a member row offers its actions (and not the config\'s)', async () => {
    await s.command('Ensemble Lens: Focus on Ensembles View');
    await s.waitForTree('Ensembles', (rows) => rows.some((r) => r.label.startsWith('deep')) && rows.some((r) => /^linear.*acc \d+\.\d%/.test(r.label)));
    const labels = await s.treeContextMenu('Ensembles', 'deep');
    await s.screenshot('member-context-menu');
    await s.page.keyboard.press('Escape');
    const ours = ['Train Member', 'Open Dashboard', 'Reveal in Config', 'Inspect Member'];
    assert.deepEqual(labels.filter((l) => ours.includes(l)), ours, labels.join(' | '));
    for (const configOnly of ['Train Ensemble', 'Export Report', 'Clear Cache']) assert.ok(!labels.includes(configOnly), `${configOnly} in ${labels.join(' | ')}`);
  });

  test('Reveal in Config opens the config with the member\'s id selected', async () => {
    await s.treeContextMenu('Ensembles', 'deep', 'Reveal in Config');
    await s.page.locator('.tab.active[aria-label*="moons.ensemble.json"]').first().waitFor({ timeout: 15_000 });
    await s.waitFor(async () => new RegExp(`^Ln ${line.deep}, Col \\d+ \\(\\d+ selected\\)$`).test(await cursor()), `the deep id selected on line ${line.deep}`);
    await s.screenshot('revealed-deep');
    // Another member moves the selection to its own line.
    await s.treeContextMenu('Ensembles', 'linear', 'Reveal in Config');
    await s.waitFor(async () => new RegExp(`^Ln ${line.linear}, Col \\d+ \\(\\d+ selected\\)$`).test(await cursor()), `the linear id selected on line ${line.linear}`);
  });

  test('Train Member trains that member only', async () => {
    await s.waitForLines((ls) => /^not trained$/.test(ls.find((l) => l.line === line.deep)?.after ?? ''), 'deep: not trained');
    assert.deepEqual(cachedMembers(s.workspace), ['linear', 'small#1', 'small#2']);
    await s.treeContextMenu('Ensembles', 'deep', 'Train Member');
    const done = await s.waitForNotification(/moons\.ensemble\.json (done|cancelled|failed)/, 120_000);
    assert.match(done, /moons\.ensemble\.json done: 1 trained, 0 from cache, 0 failed/);
    await s.waitForLines((ls) => /^acc \d+\.\d%/.test(ls.find((l) => l.line === line.deep)?.after ?? ''), 'deep: its numbers');
    assert.deepEqual(cachedMembers(s.workspace), ['deep', 'linear', 'small#1', 'small#2']);
    await s.screenshot('deep-trained');
  });

  test('Open Dashboard opens the dashboard with that member selected', async () => {
    await s.treeContextMenu('Ensembles', 'small#2', 'Open Dashboard');
    const frame = await s.webviewFrame('vscode-tab-panel[data-tab="overview"] tr.selected[data-key]', 60_000);
    const selected = await frame.$$eval('vscode-tab-panel[data-tab="overview"] tr.selected', (trs) => trs.map((t) => (t as HTMLElement).dataset.key));
    assert.deepEqual(selected, ['small#2']);
    const keys = await frame.$$eval('vscode-tab-panel[data-tab="overview"] tbody tr', (trs) => trs.map((t) => (t as HTMLElement).dataset.key));
    for (const id of ['linear', 'small#1', 'small#2', 'deep']) assert.ok(keys.includes(id), `${id} in ${keys.join(', ')}`);
    const deepRow = await frame.locator('vscode-tab-panel[data-tab="overview"] tr[data-key="deep"]').innerText();
    assert.match(deepRow, /\d+\.\d+%/, 'deep, trained from the menu, has its numbers');
    await s.page.locator('.tab.active', { hasText: 'Dashboard: moons' }).first().waitFor({ timeout: 10_000 });
    await s.screenshot('dashboard-on-member');
  });
});
