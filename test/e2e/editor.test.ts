// The editor experience in a real VS Code (code-server + Chromium), as a person uses it: open a config,
// train from the palette, read the sidebar, the annotations on the right lines and a hover, see a
// stale member after an edit, and a broken config's errors in the Problems panel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session, e2eAvailable } from './harness';

const skip = e2eAvailable();

/** 1-based line numbers of the `"id": "<id>"` entries in a config, found from its text. */
function idLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split('\n').forEach((l, i) => {
    const m = /"id":\s*"([^"]+)"/.exec(l);
    if (m) out.set(m[1], i + 1);
  });
  return out;
}

describe('editor: train, annotations, sidebar, hover, problems', { skip, timeout: 300_000 }, () => {
  let s: Session;
  let lines: Map<string, number>;
  let membersLine: number;

  before(async () => {
    s = await Session.start({ name: 'editor' });
    const text = readFileSync(join(s.workspace, 'moons.ensemble.json'), 'utf8');
    lines = idLines(text);
    membersLine = text.split('\n').findIndex((l) => l.includes('"members"')) + 1;
  });
  after(async () => {
    await s?.close();
  });

  test('opening a config shows members as not trained, with CodeLens and annotations', async () => {
    await s.openFile('moons.ensemble.json');
    const page = s.page;
    await page.locator('.codelens-decoration', { hasText: 'Train all' }).first().waitFor({ timeout: 20_000 });
    await s.waitForLines((ls) => ls.some((l) => l.line === lines.get('linear') && /not trained/.test(l.after)), 'linear: not trained');
    const ls = await s.editorLines();
    const at = (n: number | undefined) => ls.find((l) => l.line === n);
    assert.match(at(lines.get('linear'))?.after ?? '', /^not trained$/);
    assert.match(at(lines.get('small'))?.after ?? '', /small ×2 · 2 not trained/);
    assert.match(at(membersLine)?.after ?? '', /ensemble · 0\/4 trained/);
    assert.ok(at(lines.get('deep'))?.glyph, 'a gutter icon on the deep member line');
    const lenses = await page.locator('.codelens-decoration').allInnerTexts();
    assert.ok(lenses.some((t) => /Train all/.test(t) && /Dashboard/.test(t)), lenses.join(' | '));
    assert.ok(lenses.some((t) => /Train ×2/.test(t) && /Inspect/.test(t)), lenses.join(' | '));
    await s.screenshot('config-opened');
  });

  test('the sidebar lists the configs and their members', async () => {
    await s.command('Ensemble Lens: Focus on Ensembles View');
    await s.waitForTree('Ensembles', (rows) => rows.some((r) => r.label.startsWith('deep')));
    const rows = await s.treeRows('Ensembles');
    const labels = rows.map((r) => r.label);
    assert.ok(labels.some((l) => l.startsWith('broken')), labels.join(' | '));
    assert.ok(labels.some((l) => l.startsWith('moons')), labels.join(' | '));
    for (const id of ['linear', 'small#1', 'small#2', 'deep']) assert.ok(labels.some((l) => l.startsWith(id)), `${id} in ${labels.join(' | ')}`);
    assert.ok(labels.some((l) => /error/.test(l)), `broken config flags its errors: ${labels.join(' | ')}`);
    await s.screenshot('sidebar-untrained');
  });

  test('Train Ensemble from the palette trains every member and reports it', async () => {
    await s.openFile('moons.ensemble.json');
    await s.command('Ensemble Lens: Train Ensemble');
    await s.waitForNotification(/training moons\.ensemble\.json|moons\.ensemble\.json done/, 30_000);
    await s.screenshot('training');
    const done = await s.waitForNotification(/moons\.ensemble\.json done: 4 trained, 0 from cache, 0 failed/, 180_000);
    assert.match(done, /\((wasm|cpu|tensorflow)\)/);
    assert.ok(existsSync(join(s.workspace, '.ensemble-lens')), 'the cache folder is created beside the config');
    await s.screenshot('trained');
  });

  test('after training, every member line shows its numbers and the ensemble line its own', async () => {
    await s.waitForLines((ls) => /acc \d+\.\d%/.test(ls.find((l) => l.line === lines.get('deep'))?.after ?? ''), 'deep: accuracy');
    const ls = await s.editorLines();
    const at = (n: number | undefined) => ls.find((l) => l.line === n);
    assert.match(at(lines.get('linear'))?.after ?? '', /^acc \d+\.\d% · NLL [\d.]+ · LOO [-+±]\d+\.\d% · ρmax -?[\d.]+ \S+$/);
    assert.match(at(lines.get('small'))?.after ?? '', /^small ×2 · acc \d+\.\d% ±\d+\.\d · NLL/);
    assert.match(at(membersLine)?.after ?? '', /^ensemble acc \d+\.\d% · NLL [\d.]+ · 4\/4 trained$/);
    // annotations are only on member lines and the members line
    const annotated = ls.filter((l) => l.after).map((l) => l.line).sort((a, b) => a - b);
    assert.deepEqual(annotated, [membersLine, lines.get('linear'), lines.get('small'), lines.get('deep')].sort((a, b) => (a ?? 0) - (b ?? 0)));
    for (const id of ['linear', 'small', 'deep']) assert.ok(at(lines.get(id))?.glyph, `gutter icon on ${id}`);
    await s.screenshot('annotations');
  });

  test('the sidebar shows metrics for every member', async () => {
    await s.command('Ensemble Lens: Focus on Ensembles View');
    await s.waitForTree('Ensembles', (rows) => rows.filter((r) => /acc \d+\.\d%/.test(r.label)).length >= 4);
    const rows = await s.treeRows('Ensembles');
    const moons = rows.find((r) => r.label.startsWith('moons'));
    assert.match(moons?.label ?? '', /4\/4 trained · acc \d+\.\d%/);
    await s.screenshot('sidebar-trained');
  });

  test('hovering a member shows its metric table against the ensemble', async () => {
    await s.openFile('moons.ensemble.json');
    await s.hoverText('"deep"');
    const hover = s.page.locator('.monaco-hover:visible').first();
    await hover.waitFor({ timeout: 10_000 });
    await s.page.locator('.monaco-hover:visible table').first().waitFor({ timeout: 10_000 });
    const text = await hover.innerText();
    assert.match(text, /deep/);
    assert.match(text, /acc/);
    assert.match(text, /ensemble/);
    assert.match(text, /closest \S+ \(ρ [-\d.]+\)/);
    assert.match(text, /Train/);
    await s.screenshot('hover');
    await s.page.keyboard.press('Escape');
  });

  test('editing a member marks it stale at once; the others keep their numbers', async () => {
    // change the deep member's first layer width: 16 -> 24
    await s.typeAt(lines.get('deep')! + 1, '16', '24');
    await s.waitForLines((ls) => /stale/.test(ls.find((l) => l.line === lines.get('deep'))?.after ?? ''), 'deep: stale');
    const ls = await s.editorLines();
    const at = (n: number | undefined) => ls.find((l) => l.line === n);
    assert.match(at(lines.get('deep'))?.after ?? '', /^stale \(spec changed\)/);
    assert.match(at(lines.get('linear'))?.after ?? '', /^acc \d+\.\d%/);
    await s.screenshot('stale-after-edit');
  });

  test('after lines are inserted above, annotations follow their members to the new lines', async () => {
    await s.gotoLine(1, 1);
    await s.page.keyboard.type('// inserted above\n');
    const deep = lines.get('deep')! + 1;
    const linear = lines.get('linear')! + 1;
    await s.waitForLines((ls) => /^stale/.test(ls.find((l) => l.line === deep)?.after ?? ''), 'deep moved down one line');
    const ls = await s.editorLines();
    const at = (n: number) => ls.find((l) => l.line === n);
    assert.match(at(linear)?.after ?? '', /^acc \d+\.\d%/);
    assert.match(at(membersLine + 1)?.after ?? '', /^ensemble /);
    assert.equal(at(lines.get('deep')!)?.after, '', 'nothing left on the old line of deep');
    assert.match(at(lines.get('linear')!)?.after ?? '', /^ensemble /, 'the members line moved onto the old line of linear');
    assert.ok(at(deep)?.glyph, 'the gutter icon moved too');
    await s.screenshot('annotations-follow-lines');
  });

  test('editing the data block makes every member stale at once; restoring it brings the numbers back', async () => {
    const dataLine = (await s.editorLines()).find((l) => l.text.includes('"data":'))!.line;
    const linear = lines.get('linear')! + 1;
    await s.typeAt(dataLine, ': 3,', ': 4,'); // the seed (typed text holds no quote: typing one over a selection wraps it)
    await s.waitForLines((ls) => /^stale/.test(ls.find((l) => l.line === linear)?.after ?? ''), 'linear stale after a data edit');
    const ls = await s.editorLines();
    for (const id of ['small', 'deep']) assert.match(ls.find((l) => l.line === lines.get(id)! + 1)?.after ?? '', /stale/, id);
    await s.screenshot('stale-after-data-edit');
    await s.typeAt(dataLine, ': 4,', ': 3,');
    await s.waitForLines((ls2) => /^acc \d+\.\d%/.test(ls2.find((l) => l.line === linear)?.after ?? ''), 'linear trained again once the seed is back');
  });

  test('a broken config shows its errors in the Problems panel at the right lines', async () => {
    await s.openFile('broken.ensemble.json');
    await s.command('Focus on Problems View');
    const panel = s.page.locator('.markers-panel');
    await panel.waitFor({ timeout: 10_000 });
    await s.waitFor(async () => (await panel.locator('.monaco-list-row').allInnerTexts()).some((t) => /dence/.test(t)), 'the dence problem');
    const rows = (await panel.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    const dence = rows.find((r) => /unknown value "dence".*did you mean `dense`/.test(r));
    assert.ok(dence, rows.join('\n'));
    assert.match(dence, /Ensemble Lens/);
    assert.match(dence, /\[Ln 6, Col \d+\]/);
    const dup = rows.find((r) => /duplicate member id `a`/.test(r));
    assert.ok(dup, rows.join('\n'));
    assert.match(dup, /\[Ln 7, Col \d+\]/);
    await s.screenshot('problems');
  });

  test('the quick fix corrects a misspelled layer type', async () => {
    await s.openFile('broken.ensemble.json');
    await s.gotoLine(6, (await s.editorLines()).find((l) => l.line === 6)!.text.indexOf('dence') + 2);
    await s.page.keyboard.press('Control+.');
    const fix = s.page.locator('.action-widget', { hasText: 'Change to "dense"' });
    await fix.waitFor({ timeout: 10_000 });
    await s.screenshot('quick-fix');
    // The menu takes the keyboard: move to the fix and accept it, as a person does.
    for (let i = 0; i < 6; i++) {
      const focused = await s.page.locator('.action-widget .monaco-list-row.focused').innerText().catch(() => '');
      if (focused.includes('Change to "dense"')) break;
      await s.page.keyboard.press('ArrowDown');
    }
    await s.page.keyboard.press('Enter');
    await s.waitFor(async () => (await s.editorLines()).some((l) => l.line === 6 && l.text.includes('"type": "dense"')), 'the fixed line');
    const panel = s.page.locator('.markers-panel');
    await s.waitFor(async () => !(await panel.locator('.monaco-list-row').allInnerTexts()).some((t) => /dence/.test(t)), 'the dence problem to go');
    const rows = await panel.locator('.monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => /duplicate member id/.test(r)), 'the other problem stays');
  });

  test('a long run shows progress in a notification and the status bar, and Cancel stops it', async () => {
    await s.openFile('slow.ensemble.json');
    await s.command('Ensemble Lens: Train Ensemble');
    const toast = s.page.locator('.notification-toast', { hasText: 'training slow.ensemble.json' }).first();
    await toast.waitFor({ timeout: 30_000 });
    await s.waitFor(async () => /epoch \d+\/300/.test(await toast.innerText()), 'epoch progress in the notification', 60_000);
    const status = await s.page.locator('.statusbar-item', { hasText: 'Ensemble Lens' }).first().innerText();
    assert.match(status, /Ensemble Lens · (wasm|cpu|tensorflow) · 0\/2/);
    await s.waitForLines((ls) => ls.some((l) => /^wide ×2 · .*training/.test(l.after) || /training \d+\/300/.test(l.after)), 'training annotation');
    await s.screenshot('training-progress');
    await toast.hover();
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    const msg = await s.waitForNotification(/slow\.ensemble\.json cancelled: 0 trained/, 30_000);
    assert.match(msg, /0 failed/);
    await s.waitForLines((ls) => ls.some((l) => /wide ×2 · 2 not trained/.test(l.after)), 'members back to not trained');
    await s.screenshot('cancelled');
  });

  test('Open Dashboard shows the trained members, and clicking one reveals its line', async () => {
    await s.openFile('moons.ensemble.json');
    await s.command('Ensemble Lens: Open Dashboard');
    const frame = await s.webviewFrame('a.member-link', 30_000);
    const links = await frame.locator('a.member-link').allInnerTexts();
    for (const id of ['linear', 'small#1', 'small#2']) assert.ok(links.includes(id), `${id} in ${links.join(', ')}`);
    const table = await frame.locator('tr', { has: frame.locator('a.member-link', { hasText: 'linear' }) }).first().innerText();
    assert.match(table, /\d+\.\d+%/);
    await s.screenshot('dashboard');
    await frame.locator('a.member-link', { hasText: 'small#2' }).first().click();
    const smallLine = (await s.editorLines()).find((l) => l.text.includes('"id": "small"'))?.line;
    assert.ok(smallLine, 'the config is visible');
    await s.waitFor(async () => new RegExp(`Ln ${smallLine}, Col \\d+ \\(\\d+ selected\\)`).test(await s.page.locator('.statusbar').innerText()), 'the member selected in the config');
    await s.screenshot('dashboard-reveal');
  });
});
