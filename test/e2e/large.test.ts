// A config with 200 members (prediction files, cached beforehand): every visible member line is
// annotated, editing one member marks only it stale at once and redraws it with new numbers when
// edits go idle, and no annotation disappears meanwhile (no flicker).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session, e2eAvailable } from './harness';
import { parseConfig } from '../../src/core/config/parse';
import { trainEnsemble } from '../../src/engine/run';

const skip = e2eAvailable();
const M = 200;
const N = 300;
const id = (i: number) => `m${String(i).padStart(3, '0')}`;

/** Writes big.ensemble.json, labels and 200 prediction files (seeded), and caches every member. */
async function makeBigEnsemble(workspace: string): Promise<void> {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const labels = Array.from({ length: N }, () => (rand() < 0.5 ? 0 : 1));
  mkdirSync(join(workspace, 'p'), { recursive: true });
  writeFileSync(join(workspace, 'p/labels.csv'), ['label', ...labels].join('\n') + '\n');
  const entries: string[] = [];
  for (let i = 1; i <= M; i++) {
    const skill = 0.55 + 0.4 * rand();
    const rows = labels.map((y) => {
      const pTrue = Math.min(0.99, Math.max(0.01, skill + 0.3 * (rand() - 0.5)));
      const p1 = y === 1 ? pTrue : 1 - pTrue;
      return `${(1 - p1).toFixed(4)},${p1.toFixed(4)}`;
    });
    writeFileSync(join(workspace, `p/${id(i)}.csv`), ['class_0,class_1', ...rows].join('\n') + '\n');
    entries.push(`    { "id": "${id(i)}", "predictions": "p/${id(i)}.csv" }`);
  }
  const text = `// 200 prediction-file members: the editor must stay exact and calm.\n{\n  "data": { "labels": "p/labels.csv" },\n  "members": [\n${entries.join(',\n')}\n  ]\n}\n`;
  const file = join(workspace, 'big.ensemble.json');
  writeFileSync(file, text);
  const { config, problems } = parseConfig(text, file);
  assert.ok(config, JSON.stringify(problems.slice(0, 3)));
  const summary = await trainEnsemble(config, { workers: 2 });
  assert.deepEqual(summary.failed, []);
}

describe('a config with 200 members', { skip, timeout: 240_000 }, () => {
  let s: Session;
  let memberLine: Map<string, number>;

  before(async () => {
    s = await Session.start({ name: 'large', prepare: makeBigEnsemble });
    memberLine = new Map();
    readFileSync(join(s.workspace, 'big.ensemble.json'), 'utf8')
      .split('\n')
      .forEach((l, i) => {
        const m = /"id": "(m\d+)"/.exec(l);
        if (m) memberLine.set(m[1], i + 1);
      });
  });
  after(async () => {
    await s?.close();
  });

  /** Visible member lines and whether each carries its numbers. */
  async function visibleMembers(): Promise<{ line: number; after: string; glyph: string }[]> {
    const lines = new Set(memberLine.values());
    return (await s.editorLines()).filter((l) => lines.has(l.line));
  }

  test('every visible member line carries its numbers and a gutter icon', async () => {
    await s.openFile('big.ensemble.json');
    await s.waitFor(async () => {
      const v = await visibleMembers();
      return v.length > 10 && v.every((l) => /^acc \d+\.\d%/.test(l.after));
    }, 'numbers on all visible member lines', 60_000);
    const v = await visibleMembers();
    assert.ok(v.every((l) => l.glyph), 'gutter icons');
    await s.screenshot('big-top');
  });

  test('scrolled to member 100, the numbers are on its line', async () => {
    await s.gotoLine(memberLine.get(id(100))!, 1);
    await s.waitFor(async () => (await visibleMembers()).some((l) => l.line === memberLine.get(id(100)) && /^acc/.test(l.after)), 'm100 annotated');
    await s.screenshot('big-m100');
  });

  test('editing member 100 marks only it stale at once, then redraws it; no annotation disappears meanwhile', async () => {
    const line = memberLine.get(id(100))!;
    const text = (await s.editorLines()).find((l) => l.line === line)!.text;
    // point m100 at m101's predictions: "p/m100.csv" -> "p/m101.csv"
    await s.gotoLine(line, text.indexOf('m100.csv') + 4);
    await s.page.keyboard.press('Shift+ArrowRight');
    // every painted frame while typing and until the redraw after edits go idle
    await s.startLineSampler();
    await s.page.keyboard.type('1', { delay: 50 });
    await s.page.waitForTimeout(1500);
    const frames = await s.stopLineSampler();
    const lines = new Set(memberLine.values());
    const samples = frames.map((f) => {
      const v = f.filter((l) => lines.has(l.line));
      return { missing: v.filter((l) => !l.after).length, m100: v.find((l) => l.line === line)?.after ?? '' };
    });
    await s.page.keyboard.press('Escape'); // the suggestion widget typing opened
    assert.ok(samples.length > 10, `sampled ${samples.length} frames`);
    assert.deepEqual(samples.filter((x) => x.missing > 0), [], `an annotation vanished while typing or redrawing (of ${samples.length} frames)`);
    assert.ok(!samples.some((x) => x.m100 === 'trained'), 'm100 never shows a bare "trained" without numbers');
    // stale at once...
    assert.ok(samples.some((x) => /^stale \(spec changed\) · was acc/.test(x.m100)), JSON.stringify(samples.map((x) => x.m100)));
    // ...and when edits go idle, new numbers: m101's outputs are already cached, so m100 is now its twin.
    await s.waitFor(async () => /^acc \d+\.\d% .*ρmax 1\.00 m101$/.test((await visibleMembers()).find((l) => l.line === line)?.after ?? ''), 'm100 redrawn as m101 twin');
    const v = await visibleMembers();
    const others = v.filter((l) => l.line !== line);
    assert.ok(others.length > 10 && others.every((l) => /^acc \d+\.\d%/.test(l.after)), 'the other members keep their numbers');
    await s.screenshot('big-m100-stale');
  });
});
