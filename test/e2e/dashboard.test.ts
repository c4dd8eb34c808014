// The dashboard in headless Chromium under the webview's strict CSP: every view renders from real
// reports (MNIST-shaped and 2-D moons fixtures, analysed by the analysis library), interactions work
// (sort, filter, heatmap cells, weights request, live training, restored state), and the exported HTML
// opens offline from file:// with the same numbers as the JSON. Screenshots: test-artifacts/dashboard/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { base64ToFloat32 } from '../../src/core/snapshot';
import { DASHBOARD_TABS, type DashboardSnapshot } from '../../src/core/webviewProtocol';
import type { ClassificationMetrics } from '../../src/core/analysis/types';
import type { TransferabilityResult } from '../../src/core/transfer';
import { renderHtmlReport } from '../../src/cli/htmlReport';
import { cachedSnapshot, makeMnist, makeRegressionAndEmpty } from '../fixtures/reports/make';
import { artifacts, buildDashboard, choose, cspViolations, instrument, launch, openTab, post, screenshotPath, sent, serve, snapshotMessage, type PageProblems } from './webview/harness';

let browser: Browser;
let server: Server;
let url: string;
let dist: string;
let mnist: DashboardSnapshot;
let moons: DashboardSnapshot;

before(async () => {
  dist = await buildDashboard();
  ({ url, server } = await serve(dist));
  browser = await launch();
  mnist = cachedSnapshot('mnist');
  moons = cachedSnapshot('moons');
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** A page showing a snapshot, as the panel would after `ready`. */
async function open(snap: DashboardSnapshot, theme = 'dark', state?: unknown): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = await instrument(page, { state });
  await page.goto(`${url}?theme=${theme}`);
  await page.waitForFunction(() => window.__sent?.some((m) => m.type === 'ready'));
  await post(page, snapshotMessage(snap));
  await page.waitForFunction(() => document.body.dataset.rendered);
  return { page, problems };
}

async function assertClean(page: Page, problems: PageProblems): Promise<void> {
  assert.deepEqual(problems.errors, [], 'page errors');
  assert.deepEqual(problems.console, [], 'console errors/warnings');
  assert.deepEqual(await cspViolations(page), [], 'CSP violations');
}

const pct2 = (x: number) => `${(x * 100).toFixed(2)}%`;
const metricsOf = (s: DashboardSnapshot, id: string) => s.report.members.find((m) => m.id === id)?.metrics as ClassificationMetrics;

/** Ensemble (mean) predictions and labels decoded from a snapshot, computed here independently of the webview. */
function decoded(s: DashboardSnapshot): { labels: Float32Array; ensPred: number[] } {
  const o = s.outputs;
  assert.ok(o);
  const labels = base64ToFloat32(o.labels);
  const vals = o.values.map(base64ToFloat32);
  const ensPred: number[] = [];
  for (let i = 0; i < o.nTest; i++) {
    let best = 0;
    let bestV = -1;
    for (let c = 0; c < o.numClasses; c++) {
      const v = vals.reduce((a, m) => a + m[i * o.numClasses + c], 0);
      if (v > bestV) [best, bestV] = [c, v];
    }
    ensPred.push(best);
  }
  return { labels, ensPred };
}

describe('dashboard in Chromium', () => {
  test('renders every view of the MNIST report with no console errors or CSP violations', async () => {
    const { page, problems } = await open(mnist);
    const ready = (await sent(page)).find((m) => m.type === 'ready');
    assert.deepEqual(ready && { type: ready.type, protocol: 'protocol' in ready ? ready.protocol : -1 }, { type: 'ready', protocol: 1 });
    for (const tab of DASHBOARD_TABS) {
      await openTab(page, tab);
      await page.screenshot({ path: screenshotPath(`mnist-dark-${tab}`), fullPage: true });
      const text = await page.$eval(`vscode-tab-panel[data-tab="${tab}"]`, (el) => (el as HTMLElement).innerText);
      assert.doesNotMatch(text, /failed to draw/, tab);
    }
    // Overview: the table shows the report's numbers.
    await openTab(page, 'overview');
    for (const m of mnist.report.members) {
      const cells = await page.$$eval(`vscode-tab-panel[data-tab="overview"] tr[data-key="${m.id}"] td`, (tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));
      const x = metricsOf(mnist, m.id);
      assert.equal(cells[3], pct2(x.accuracy), `${m.id} accuracy`);
      assert.equal(cells[4], x.nll.toFixed(4), `${m.id} nll`);
      assert.equal(cells[6], x.ece.toFixed(4), `${m.id} ece`);
    }
    const ens = mnist.report.ensemble.metrics as ClassificationMetrics;
    const ensCells = await page.$$eval('tr.footer[data-key="ensemble"] td', (tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));
    assert.equal(ensCells[3], pct2(ens.accuracy));
    // Findings: the redundant pair and the overconfident member of the fixture.
    const findings = await page.$$eval('.finding', (els) => els.map((e) => (e as HTMLElement).dataset.member));
    assert.ok(findings.includes('overconfident'), `findings: ${findings.join(', ')}`);
    // Selection: the best stacking alpha sits at an end of the grid, and the view says so.
    await openTab(page, 'selection');
    const st = mnist.report.stacking as { alpha: number; alphas: number[] };
    const atEdge = st.alpha === Math.max(...st.alphas) || st.alpha === Math.min(...st.alphas);
    const hint = await page.$eval('vscode-tab-panel[data-tab="selection"]', (el) => el.querySelector('.edge-alpha')?.textContent ?? null);
    if (atEdge) assert.match(hint ?? '', new RegExp(`best α \\(${st.alpha}\\) is the (largest|smallest) tried`));
    else assert.equal(hint, null);
    // Decision boundaries: MNIST has 784 inputs.
    await openTab(page, 'boundaries');
    assert.match(await page.innerText('vscode-tab-panel[data-tab="boundaries"]'), /Not available for this dataset.*784/);
    await assertClean(page, problems);
    await page.close();
  });

  test('sorting the members table by a metric orders rows by the report and persists', async () => {
    const { page, problems } = await open(mnist);
    const rowOrder = () => page.$$eval('vscode-tab-panel[data-tab="overview"] table.data tbody tr:not(.footer)', (trs) => trs.map((t) => (t as HTMLElement).dataset.key));
    const byAcc = [...mnist.report.members].sort((a, b) => metricsOf(mnist, b.id).accuracy - metricsOf(mnist, a.id).accuracy).map((m) => m.id);
    await page.click('th[data-key="accuracy"]');
    await page.waitForSelector('th[data-key="accuracy"][aria-sort="descending"]');
    assert.deepEqual(await rowOrder(), byAcc);
    await page.click('th[data-key="accuracy"]');
    await page.waitForSelector('th[data-key="accuracy"][aria-sort="ascending"]');
    assert.deepEqual(await rowOrder(), [...byAcc].reverse());
    const state = (await page.evaluate(() => window.__state)) as { overview: { sortKey: string; sortDir: number } };
    assert.deepEqual(state.overview, { ...state.overview, sortKey: 'accuracy', sortDir: 1 });
    await assertClean(page, problems);
    await page.close();
  });

  test('the sample browser sorts by disagreement and filters by class and verdict', async () => {
    const { page, problems } = await open(mnist);
    await openTab(page, 'predictions');
    const scope = 'vscode-tab-panel[data-tab="predictions"]';
    const dis = (mnist.report.samples as { disagreement: number[] }).disagreement;
    const expectedFirst = dis.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1])[0][1];
    assert.equal(await page.$eval(`${scope} .sample-row`, (el) => Number((el as HTMLElement).dataset.index)), expectedFirst);
    assert.equal(await page.innerText(`${scope} .count`), '2000 of 2000 samples');
    // Rows are virtualised: far fewer than 2000 exist in the DOM.
    assert.ok((await page.$$(`${scope} .sample-row`)).length < 60);
    const { labels, ensPred } = decoded(mnist);
    const threes = [...labels].filter((l) => l === 3).length;
    await choose(page, scope, 'Class', '3');
    await page.waitForFunction((n) => document.querySelector('vscode-tab-panel[data-tab="predictions"] .count')?.textContent === `${n} of 2000 samples`, threes);
    const shownLabels = await page.$$eval(`${scope} .sample-row .lbl`, (els) => els.map((e) => e.textContent));
    assert.ok(shownLabels.length > 0 && shownLabels.every((l) => l === '3'));
    const wrongThrees = [...labels].filter((l, i) => l === 3 && ensPred[i] !== 3).length;
    await choose(page, scope, 'Verdict', 'ensemble-wrong');
    await page.waitForFunction((n) => document.querySelector('vscode-tab-panel[data-tab="predictions"] .count')?.textContent === `${n} of 2000 samples`, wrongThrees);
    // Clicking a row selects it, tells the host, and shows its probabilities.
    const second = await page.$$(`${scope} .sample-row`);
    const idx = Number(await second[1].getAttribute('data-index'));
    await second[1].click();
    await page.waitForFunction((i) => document.querySelector('vscode-tab-panel[data-tab="predictions"] .sample-row.selected')?.getAttribute('data-index') === String(i), idx);
    assert.ok((await sent(page)).some((m) => m.type === 'selectSample' && m.index === idx));
    assert.match(await page.innerText(`${scope} .sample-detail`), new RegExp(`#${idx}`));
    await page.screenshot({ path: screenshotPath('mnist-dark-predictions-filtered'), fullPage: true });
    await assertClean(page, problems);
    await page.close();
  });

  test('clicking a diversity heatmap cell selects the pair and reports it to the host', async () => {
    const { page, problems } = await open(mnist);
    await openTab(page, 'diversity');
    const canvas = 'vscode-tab-panel[data-tab="diversity"] canvas[aria-label="Disagreement"]';
    // The cell of row 1, column 3 in the displayed (clustered) order, located through Chart.js.
    const cell = await page.$eval(canvas, (el) => {
      const ch = window.ensembleLens?.Chart.getChart(el as HTMLCanvasElement);
      if (!ch) throw new Error('no chart');
      const data = ch.data.datasets[0].data as unknown as { x: string; y: string; v: number; i: number; j: number }[];
      const k = data.findIndex((d) => d.i === 1 && d.j === 3);
      const box = ch.getDatasetMeta(0).data[k].getProps(['x', 'y', 'width', 'height'], true) as unknown as { x: number; y: number; width: number; height: number };
      const r = el.getBoundingClientRect();
      return { x: r.left + box.x + box.width / 2, y: r.top + box.y + box.height / 2, row: data[k].y, col: data[k].x, v: data[k].v, count: data.length };
    });
    assert.equal(cell.count, 25);
    await page.mouse.click(cell.x, cell.y);
    await page.waitForFunction((t) => document.querySelector('vscode-tab-panel[data-tab="diversity"] h3')?.closest('.grid-2')?.textContent?.includes(t), `${cell.row} × ${cell.col}`);
    const msg = (await sent(page)).find((m) => m.type === 'selectCell');
    assert.deepEqual(msg && { ...msg, messageId: 0 }, { type: 'selectCell', messageId: 0, view: 'diversity', measure: 'disagreement', row: cell.row, column: cell.col });
    const d = mnist.report.diversity as unknown as { memberIds: string[]; disagreement: number[][] };
    const expected = d.disagreement[d.memberIds.indexOf(cell.row)][d.memberIds.indexOf(cell.col)];
    assert.equal(cell.v, expected);
    const facts = await page.$$eval('.pair-facts dt, .pair-facts dd', (els) => els.map((e) => e.textContent));
    assert.equal(facts[facts.indexOf('Disagreement') + 1], expected.toFixed(4));
    await page.screenshot({ path: screenshotPath('mnist-dark-diversity-cell'), fullPage: true });
    await assertClean(page, problems);
    await page.close();
  });

  test('a transferability cell opens the adversarial examples behind it', async () => {
    const { page, problems } = await open(mnist);
    await openTab(page, 'transferability');
    const cell = await page.$eval('vscode-tab-panel[data-tab="transferability"] canvas[aria-label="transfer rate"]', (el) => {
      const ch = window.ensembleLens?.Chart.getChart(el as HTMLCanvasElement);
      if (!ch) throw new Error('no chart');
      const data = ch.data.datasets[0].data as unknown as { x: string; y: string; i: number; j: number }[];
      const k = data.findIndex((d) => d.i === 0 && d.j === 2);
      const box = ch.getDatasetMeta(0).data[k].getProps(['x', 'y', 'width', 'height'], true) as unknown as { x: number; y: number; width: number; height: number };
      const r = el.getBoundingClientRect();
      return { x: r.left + box.x + box.width / 2, y: r.top + box.y + box.height / 2, row: data[k].y, col: data[k].x, count: data.length };
    });
    assert.equal(cell.count, 5 * 6);
    await page.mouse.click(cell.x, cell.y);
    await page.waitForSelector('.gallery-card figure.adv');
    assert.match(await page.innerText('.gallery-card h3'), new RegExp(`crafted on ${cell.row.replace('#', '\\#')}, evaluated on ${cell.col.replace('#', '\\#')}`));
    const sizes = await page.$$eval('.gallery-card img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    assert.equal(sizes.length, 4 * 3);
    assert.ok(sizes.every((w) => w === 28), 'data: PNGs decoded under the CSP');
    await page.screenshot({ path: screenshotPath('mnist-dark-transferability-gallery'), fullPage: true });
    await assertClean(page, problems);
    await page.close();
  });

  test('apply weights, refresh and export are requests; replies are shown', async () => {
    const { page, problems } = await open(mnist);
    await page.click('header.top vscode-button:has-text("Refresh")');
    await page.click('header.top vscode-button:has-text("Export HTML")');
    await page.waitForFunction(() => window.__sent.some((m) => m.type === 'exportHtml'));
    assert.deepEqual((await sent(page)).filter((m) => m.type === 'refresh' || m.type === 'exportHtml').map((m) => m.type), ['refresh', 'exportHtml']);
    await openTab(page, 'selection');
    await page.click('vscode-button:has-text("Use selection weights")');
    await page.waitForFunction(() => window.__sent.some((m) => m.type === 'applyWeights'));
    const req = (await sent(page)).find((m) => m.type === 'applyWeights');
    assert.ok(req && req.type === 'applyWeights');
    assert.deepEqual(req.weights, mnist.report.selection?.runs[0].weights);
    await post(page, { type: 'reply', messageId: 900, inReplyTo: req.messageId, ok: false, error: 'the config has unsaved conflicts' });
    await page.waitForFunction(() => document.querySelector('.toast:not(.hidden)')?.textContent?.includes('unsaved conflicts'));
    await assertClean(page, problems);
    await page.close();
  });

  test('live training progress updates the Training view in place', async () => {
    const { page, problems } = await open({ ...mnist, training: undefined });
    await openTab(page, 'training');
    const ids = ['softmax#1', 'softmax#2'];
    const progress = (epochs: number, running: boolean) => ({
      type: 'training' as const,
      messageId: 500 + epochs,
      progress: {
        runId: 'run-1',
        running,
        members: ids.map((memberId) => ({
          memberId,
          state: (running ? 'training' : 'done') as 'training' | 'done',
          history: Array.from({ length: epochs }, (_, e) => ({ epoch: e + 1, epochs: 10, loss: 1 / (e + 1), accuracy: 0.5 + e / 40, samplesPerSec: 1000, elapsedMs: 100 * (e + 1) })),
          batch: running ? { batch: 5, batches: 10 } : undefined,
        })),
      },
    });
    await post(page, progress(1, true));
    // The run started: the view redraws once (with a Cancel button), then updates in place.
    await page.waitForSelector('vscode-button:has-text("Cancel training")');
    await page.waitForSelector('.progress-row[data-member="softmax#1"]');
    await page.$eval('vscode-tab-panel[data-tab="training"] canvas', (c) => ((c as HTMLElement).dataset.marker = 'first'));
    for (let e = 2; e <= 4; e++) await post(page, progress(e, true));
    await page.waitForFunction(() => document.querySelector('.progress-row[data-member="softmax#1"]')?.textContent?.includes('epoch 4/10'));
    // Cancel is its own request, naming the run.
    await page.click('vscode-button:has-text("Cancel training")');
    await page.waitForFunction(() => window.__sent.some((m) => m.type === 'cancelTraining'));
    assert.ok((await sent(page)).some((m) => m.type === 'cancelTraining' && m.runId === 'run-1'));
    assert.equal(await page.$eval('vscode-tab-panel[data-tab="training"] canvas', (c) => (c as HTMLElement).dataset.marker), 'first', 'chart updated in place, not redrawn');
    const width = await page.$eval('.progress-row[data-member="softmax#1"] .bar-fill', (el) => (el as HTMLElement).style.width);
    // 4 epochs done and half of the 5th: (4 + 5/10) / 10.
    assert.equal(width, '45%');
    await page.screenshot({ path: screenshotPath('mnist-dark-training-live'), fullPage: true });
    await assertClean(page, problems);
    await page.close();
  });

  test('a focus message from the host shows a tab and selects a member', async () => {
    const { page, problems } = await open(mnist);
    await post(page, { type: 'focus', messageId: 77, tab: 'calibration', memberId: 'overconfident' });
    await page.waitForSelector('vscode-tab-panel[data-tab="calibration"] tr.selected[data-key="overconfident"]');
    assert.equal(await page.getAttribute('vscode-tab-header[data-tab="calibration"]', 'aria-selected'), 'true');
    // Another member on the tab already drawn: the selection moves (the tab redraws for it).
    await post(page, { type: 'focus', messageId: 80, tab: 'calibration', memberId: 'small-data' });
    await page.waitForSelector('vscode-tab-panel[data-tab="calibration"] tr.selected[data-key="small-data"]');
    assert.equal(await page.$('vscode-tab-panel[data-tab="calibration"] tr.selected[data-key="overconfident"]'), null);
    // A status banner: loading, then an error, then gone.
    await post(page, { type: 'status', messageId: 78, state: 'error', message: 'the cache is locked' });
    await page.waitForFunction(() => document.querySelector('.banner.error:not(.hidden)')?.textContent?.includes('the cache is locked'));
    await post(page, { type: 'status', messageId: 79, state: 'idle' });
    await page.waitForSelector('.banner.hidden', { state: 'attached' });
    await assertClean(page, problems);
    await page.close();
  });

  test('UI state survives a reload (tab, member selection)', async () => {
    const first = await open(mnist);
    await openTab(first.page, 'calibration');
    await first.page.click('vscode-tab-panel[data-tab="calibration"] tr[data-key="small-data"]');
    await first.page.waitForSelector('vscode-tab-panel[data-tab="calibration"] tr.selected[data-key="small-data"]');
    const state = await first.page.evaluate(() => window.__state);
    assert.equal((state as { configUri?: string }).configUri, undefined);
    await first.page.close();
    const second = await open(mnist, 'dark', state);
    await second.page.waitForSelector('vscode-tab-panel[data-tab="calibration"] tr.selected[data-key="small-data"]');
    assert.equal(await second.page.getAttribute('vscode-tab-header[data-tab="calibration"]', 'aria-selected'), 'true');
    await assertClean(second.page, second.problems);
    await second.page.close();
  });

  test('moons: decision boundaries per member and for the ensemble, in light and high-contrast themes', async () => {
    for (const theme of ['light', 'hc']) {
      const { page, problems } = await open(moons, theme);
      for (const tab of DASHBOARD_TABS) {
        await openTab(page, tab);
        await page.screenshot({ path: screenshotPath(`moons-${theme}-${tab}`), fullPage: true });
      }
      await openTab(page, 'boundaries');
      const figs = await page.$$eval('.boundary-fig figcaption', (els) => els.map((e) => e.textContent));
      assert.deepEqual(figs, ['ensemble (mean)', ...(moons.grid?.members.map((m) => m.id) ?? [])]);
      // The ensemble's regions: both class colours appear on the canvas.
      // (No named helper functions inside page callbacks: tsx would wrap them in a helper the page lacks.)
      const colours = await page.$eval('canvas.boundary', (c) => {
        const g = (c as HTMLCanvasElement).getContext('2d') as CanvasRenderingContext2D;
        const w = (c as HTMLCanvasElement).width;
        const all = g.getImageData(0, 0, w, w).data; // one readback
        return [[0.1, 0.3], [0.85, 0.85]].map(([x, y]) => Array.from(all.subarray((Math.floor(y * w) * w + Math.floor(x * w)) * 4, (Math.floor(y * w) * w + Math.floor(x * w)) * 4 + 4)).join(','));
      });
      assert.notEqual(colours[0], colours[1]);
      await openTab(page, 'transferability');
      assert.match(await page.innerText('vscode-tab-panel[data-tab="transferability"]'), /not been computed/);
      await openTab(page, 'overview');
      assert.ok(await page.$('tr[data-key="not-yet"] .state-not-trained'), 'untrained member listed');
      await assertClean(page, problems);
      await page.close();
    }
  });

  test('2-D transferability: clicking a cell shows the points and their adversarial moves', async () => {
    const ids = moons.report.ensemble.members;
    const columns = [...ids, 'ensemble'];
    const matrix = ids.map((_, i) => columns.map((_, j) => (i === j ? 0.9 : 0.2 + 0.1 * j)));
    const feats = base64ToFloat32((moons.inputs as { values: string }).values);
    const points = Array.from({ length: 12 }, (_, k) => ({ testIndex: k, label: 0, x: [feats[2 * k], feats[2 * k + 1]] as [number, number], adversarial: [feats[2 * k] + 0.2, feats[2 * k + 1] - 0.1] as [number, number], fooled: columns.map((_, j) => (k + j) % 3 === 0) }));
    const transferability = {
      format: 'ensemble-lens-transferability', version: 1, rows: ids, columns, columnKinds: [...ids.map(() => 'differentiable'), 'ensemble'], matrix,
      counts: matrix.map((r) => r.map((v) => Math.round(v * 100))),
      protocol: { attack: 'fgsm', norm: 'l2', epsilon: 0.3, epsilons: [0.3], steps: 1, stepSize: 0.3, randomStart: false, restarts: 1, targeted: false, poolSize: 100, poolRequested: 100, candidates: 120, seed: 0, bounds: { source: 'data', min: -2, max: 3 }, ensembleCombine: 'mean-probability', backend: 'cpu' },
      ensembleAttacks: {}, leaveOneOut: [], sweeps: [], gallery: { kind: 'points', bySource: Object.fromEntries(ids.map((id) => [id, points])) },
      skipped: [{ id: 'not-yet', reason: 'not trained' }], summary: { meanOffDiagonal: 0.3, whiteBoxMean: 0.9, ensembleMean: 0.7, mostTransferable: null, leastTransferable: null }, pool: [], millis: 1, key: 'k',
    };
    const { page, problems } = await open({ ...moons, report: { ...moons.report, transferability: transferability as unknown as TransferabilityResult } }, 'light');
    await openTab(page, 'transferability');
    const cell = await page.$eval('canvas[aria-label="transfer rate"]', (el) => {
      const ch = window.ensembleLens?.Chart.getChart(el as HTMLCanvasElement);
      if (!ch) throw new Error('no chart');
      const box = ch.getDatasetMeta(0).data[1].getProps(['x', 'y', 'width', 'height'], true) as unknown as { x: number; y: number; width: number; height: number };
      const r = el.getBoundingClientRect();
      return { x: r.left + box.x + box.width / 2, y: r.top + box.y + box.height / 2 };
    });
    await page.mouse.click(cell.x, cell.y);
    await page.waitForSelector('.gallery-card canvas[aria-label="adversarial moves"]');
    assert.match(await page.innerText('.gallery-card h3'), new RegExp(`crafted on ${ids[0]}, evaluated on ${ids[1].replace('#', '\\#')}`));
    assert.match(await page.innerText('vscode-tab-panel[data-tab="transferability"]'), /not-yet: not trained/);
    await page.screenshot({ path: screenshotPath('moons-light-transferability-points'), fullPage: true });
    await assertClean(page, problems);
    await page.close();
  });

  test('a member selection: members outside it read "excluded" and the header says so', async () => {
    // The numbers of a selection are tested in test/unit/extension/selection.test.ts; here, how it reads.
    const snap = structuredClone(mnist);
    const out = snap.report.members[4].id;
    snap.report.members[4] = { ...snap.report.members[4], excluded: true };
    snap.report.memberSelection = snap.report.members.filter((m) => m.id !== out).map((m) => m.id);
    snap.report.ensemble = { ...snap.report.ensemble, members: snap.report.memberSelection };
    const { page, problems } = await open(snap);
    assert.match(await page.innerText('header, .header, body'), /4\/5 members analysed \(member selection\)/);
    const state = (id: string) => page.$eval(`vscode-tab-panel[data-tab="overview"] tr[data-key="${id}"] td:nth-child(3)`, (td) => (td as HTMLElement).innerText.trim());
    assert.equal(await state(out), 'excluded');
    assert.equal(await state(snap.report.members[0].id), 'trained');
    await page.screenshot({ path: screenshotPath('mnist-dark-overview-selection'), fullPage: true });
    await assertClean(page, problems);
    await page.close();
  });

  test('a regression report and an untrained config draw every view without errors', async () => {
    const { regression, empty } = makeRegressionAndEmpty();
    for (const [name, snap] of [['regression', regression], ['untrained', empty]] as const) {
      const { page, problems } = await open(snap, 'dark');
      for (const tab of DASHBOARD_TABS) {
        await openTab(page, tab);
        await page.screenshot({ path: screenshotPath(`${name}-dark-${tab}`), fullPage: true });
        const text = await page.innerText(`vscode-tab-panel[data-tab="${tab}"]`);
        assert.doesNotMatch(text, /failed to draw/, `${name} ${tab}`);
      }
      await openTab(page, 'overview');
      const rows = await page.$$eval('vscode-tab-panel[data-tab="overview"] tbody tr', (trs) => trs.map((t) => (t as HTMLElement).dataset.key));
      assert.deepEqual(rows, name === 'regression' ? ['ridge', 'forest#1', 'forest#2', 'knn', 'ensemble'] : ['ridge', 'forest#1', 'forest#2', 'knn']);
      if (name === 'regression') {
        // Predictions: sorted by the ensemble's absolute error, computed here from the outputs.
        await openTab(page, 'predictions');
        const o = snap.outputs;
        assert.ok(o);
        const labels = base64ToFloat32(o.labels);
        const vals = o.values.map(base64ToFloat32);
        const err = [...labels].map((y, i) => Math.abs(vals.reduce((a, v) => a + v[i], 0) / vals.length - y));
        const worst = err.map((e, i) => [e, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1])[0][1];
        assert.equal(await page.$eval('vscode-tab-panel[data-tab="predictions"] .sample-row', (el) => Number((el as HTMLElement).dataset.index)), worst);
        await page.screenshot({ path: screenshotPath('regression-dark-predictions'), fullPage: true });
        await openTab(page, 'overview');
        const rmse = (snap.report.members[0].metrics as { rmse: number }).rmse;
        assert.equal(await page.$eval('tr[data-key="ridge"] td:nth-child(4)', (td) => (td as HTMLElement).innerText.trim()), rmse.toFixed(4));
      } else {
        assert.match(await page.innerText('vscode-tab-panel[data-tab="overview"]'), /No analysis yet/);
      }
      await assertClean(page, problems);
      await page.close();
    }
  });

  test('the exported HTML opens offline from file:// and shows the JSON numbers', async () => {
    const fixture = makeMnist();
    const html = await renderHtmlReport(fixture.report, fixture.outputs, { dataset: fixture.dataset, distDir: dist, findings: fixture.snapshot.findings });
    const file = join(artifacts, 'mnist-report.html');
    writeFileSync(file, html);
    const json = JSON.parse(JSON.stringify(fixture.report)) as typeof fixture.report;
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ offline: true, colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      const problems = await instrument(page, { exported: true });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => document.body.dataset.rendered);
      for (const m of json.members) {
        const cells = await page.$$eval(`tr[data-key="${m.id}"] td`, (tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));
        assert.equal(cells[3], pct2((m.metrics as ClassificationMetrics).accuracy));
        assert.equal(cells[5], (m.metrics as ClassificationMetrics).brier.toFixed(4));
      }
      await page.screenshot({ path: screenshotPath(`export-${scheme}-overview`), fullPage: true });
      await openTab(page, 'predictions');
      assert.equal(await page.innerText('.count'), `${json.data.nTest} of ${json.data.nTest} samples`);
      assert.ok(await page.$('.sample-row canvas.sample-image'), 'digits drawn from the inlined inputs');
      await page.screenshot({ path: screenshotPath(`export-${scheme}-predictions`), fullPage: true });
      // Editor actions are disabled or absent outside VS Code.
      assert.equal(await page.$('header.top vscode-button'), null);
      await openTab(page, 'selection');
      assert.equal(await page.getAttribute('vscode-button:has-text("Use selection weights")', 'disabled'), '');
      assert.deepEqual(requests, [], 'no network requests');
      await assertClean(page, problems);
      await context.close();
    }
  });
});
