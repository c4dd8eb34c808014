// The report worker (src/engine/reportWorker): the extension's reports are read and computed in a
// worker thread (dist/reportWorker.js). Its report is the in-thread one; aborting a running request
// terminates that worker and the next request starts another; aborting a queued one only drops it;
// errors name the file and leave the worker usable.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseConfig } from '../../../src/core/config/parse';
import type { EnsembleConfig } from '../../../src/core/config/types';
import { trainEnsemble } from '../../../src/engine/run';
import { reportFromCache } from '../../../src/engine/report';
import { DataError } from '../../../src/core/data/errors';
import { ReportWorkerClient } from '../../../src/engine/reportWorker/client';
import type { ReportRequest } from '../../../src/engine/reportWorker/protocol';

const root = join(__dirname, '../../..');
const script = join(root, 'dist/reportWorker.js');
before(() => {
  if (!existsSync(script) || !existsSync(join(root, 'dist/worker.js'))) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(r.status, 0);
  }
});

/** The bundled stacking example (six prediction files, 569 samples) copied to a fresh folder, its members loaded into the cache. */
async function example(): Promise<{ config: EnsembleConfig; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'el-reportworker-'));
  cpSync(join(root, 'examples/oof'), join(dir, 'oof'), { recursive: true });
  const file = join(dir, 'stack.ensemble.json');
  const text = readFileSync(join(root, 'examples/stacking-oof.ensemble.json'), 'utf8');
  writeFileSync(file, text);
  const config = parseConfig(text, file).config!;
  const summary = await trainEnsemble(config, { workers: 1 });
  assert.equal(summary.failed.length, 0);
  return { config, dir };
}

const withoutTime = <T extends { generatedAt: string }>(r: T) => ({ ...r, generatedAt: '' });

test('the worker computes the report the engine computes in-thread, selection and failures included', async () => {
  const { config } = await example();
  const client = new ReportWorkerClient(script);
  try {
    const failures: [string, string][] = [['knn', 'disk on fire']];
    const request: ReportRequest = { config, selection: ['gbm', 'logreg', 'forest'], failures, analysis: { redundancyThreshold: 0.9 } };
    const lines: string[] = [];
    const viaWorker = await client.request(request, { log: (l) => lines.push(l) });
    const inThread = await reportFromCache(config, { selection: request.selection, failures: new Map(failures), analysis: request.analysis });
    assert.deepEqual(withoutTime(viaWorker.report), withoutTime(inThread.report));
    assert.deepEqual(viaWorker.info, inThread.info);
    assert.deepEqual(viaWorker.report.memberSelection, ['logreg', 'forest', 'gbm']);
    assert.ok(viaWorker.report.ensemble.metrics && viaWorker.report.stacking, 'a full analysis came back');
    // a second request reuses the worker
    await client.request({ config });
    assert.equal(client.started, 1);
  } finally {
    client.dispose();
  }
});

test('aborting the running request terminates its worker; aborting a queued one only drops it', async () => {
  const { config } = await example();
  const client = new ReportWorkerClient(script);
  try {
    const full = await client.request({ config });
    assert.equal(client.started, 1);

    const running = new AbortController();
    const p = client.request({ config }, { signal: running.signal });
    running.abort();
    await assert.rejects(p, { name: 'AbortError' });
    // the next request runs in a new worker and gets the same report
    const again = await client.request({ config });
    assert.equal(client.started, 2);
    assert.deepEqual(withoutTime(again.report), withoutTime(full.report));

    const queued = new AbortController();
    const first = client.request({ config });
    const second = client.request({ config, selection: ['knn'] }, { signal: queued.signal });
    queued.abort();
    await assert.rejects(second, { name: 'AbortError' });
    assert.deepEqual(withoutTime((await first).report), withoutTime(full.report));
    assert.equal(client.started, 2, 'the running request was not disturbed');

    const pre = new AbortController();
    pre.abort();
    await assert.rejects(client.request({ config }, { signal: pre.signal }), { name: 'AbortError' });
  } finally {
    client.dispose();
  }
});

test('a data error keeps its file, line and column; the worker stays usable; dispose rejects what is pending', async () => {
  const { config, dir } = await example();
  const client = new ReportWorkerClient(script);
  const labels = join(dir, 'oof/labels.csv');
  const good = readFileSync(labels, 'utf8');
  const rows = good.split('\n');
  rows[4] = '-1';
  writeFileSync(labels, rows.join('\n'));
  await assert.rejects(client.request({ config }), (e: Error) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.file, labels);
    assert.equal(e.line, 5);
    assert.match(e.toString(), /labels\.csv:5:1: labels: row 4 is -1, not a class index/);
    return true;
  });
  writeFileSync(labels, good);
  const ok = await client.request({ config });
  assert.equal(ok.report.members.length, 6);
  assert.equal(client.started, 1);
  const pending = client.request({ config });
  client.dispose();
  await assert.rejects(pending, { name: 'AbortError' });
  await assert.rejects(client.request({ config }), { name: 'AbortError' });
});
