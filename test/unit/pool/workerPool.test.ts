import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { JobError, WorkerPool } from '../../../src/engine/pool/workerPool';
import type { MemberJob } from '../../../src/core/protocol';

const script = join(__dirname, '../../fixtures/workers/scriptedWorker.cjs');
let nextId = 1;
function job(id: string): MemberJob {
  return { jobId: nextId++, kind: 'train', member: { id } as MemberJob['member'], data: { seed: 0, normalize: 'none' }, task: 'classification', backend: 'cpu' };
}

test('runs jobs and streams epochs in order', async () => {
  const pool = new WorkerPool({ size: 1, workerScript: script });
  const epochs: number[] = [];
  const r = await pool.run(job('ok:3'), { onEpoch: (p) => epochs.push(p.epoch) });
  assert.deepEqual(epochs, [1, 2, 3]);
  assert.equal(r.history.length, 3);
  await pool.dispose();
});

test('uses up to `size` workers in parallel and no more', async () => {
  const pool = new WorkerPool({ size: 2, workerScript: script });
  const results = await Promise.all([job('slow:5'), job('slow:5'), job('slow:5'), job('slow:5')].map((j) => pool.run(j)));
  const threads = new Set(results.map((r) => r.outputs[0]));
  assert.equal(threads.size, 2);
  await pool.dispose();
});

test('a failing job rejects with its message and location; the pool keeps working', async () => {
  const pool = new WorkerPool({ size: 1, workerScript: script });
  await assert.rejects(pool.run(job('fail')), (e: JobError) => e.message === 'bad layer' && !e.cancelled && e.location?.line === 3);
  const r = await pool.run(job('ok:1'));
  assert.equal(r.history.length, 1);
  await pool.dispose();
});

test('a crashing worker fails its job and is replaced', async () => {
  const pool = new WorkerPool({ size: 1, workerScript: script });
  await assert.rejects(pool.run(job('crash')), /worker crashed: boom/);
  const r = await pool.run(job('ok:2'));
  assert.equal(r.history.length, 2);
  await pool.dispose();
});

test('cancelling a running job stops it cooperatively; queued jobs cancel without starting', async () => {
  const pool = new WorkerPool({ size: 1, workerScript: script });
  const ac = new AbortController();
  const seen: number[] = [];
  const running = pool.run(job('slow:20'), { onEpoch: (p) => { seen.push(p.epoch); if (p.epoch === 2) ac.abort(); } }, ac.signal);
  let queuedStarted = false;
  const queued = assert.rejects(pool.run(job('ok:1'), { onBackend: () => (queuedStarted = true) }, ac.signal), (e: JobError) => e.cancelled);
  await assert.rejects(running, (e: JobError) => e.cancelled);
  await queued;
  assert.ok(seen.length < 50, `stopped early (saw ${seen.length} epochs)`);
  assert.equal(queuedStarted, false);
  const after = await pool.run(job('ok:1'));
  assert.equal(after.history.length, 1);
  await pool.dispose();
});

test('a job that ignores cancel is terminated after the grace period', async () => {
  const pool = new WorkerPool({ size: 1, workerScript: script, cancelGraceMs: 200 });
  const ac = new AbortController();
  const p = pool.run(job('stuck'), {}, ac.signal);
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(p, (e: JobError) => e.cancelled);
  const r = await pool.run(job('ok:1'));
  assert.equal(r.history.length, 1);
  await pool.dispose();
});

test('an already aborted signal rejects at once; dispose rejects pending jobs', async () => {
  const pool = new WorkerPool({ size: 1, workerScript: script });
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(pool.run(job('ok:1'), {}, ac.signal), (e: JobError) => e.cancelled);
  const a = assert.rejects(pool.run(job('slow:50')), (e: JobError) => e.cancelled);
  const b = assert.rejects(pool.run(job('ok:1')), (e: JobError) => e.cancelled);
  await pool.dispose();
  await a;
  await b;
});
