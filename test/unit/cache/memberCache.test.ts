import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemberCache, atomicWrite } from '../../../src/engine/cache/memberCache';
import { canonicalJson, hashJson } from '../../../src/engine/cache/hash';

const KEY = 'a'.repeat(40);
const info = { memberId: 'm', kind: 'layers' as const, backend: 'wasm', millis: 5, history: [] };

function fresh(): MemberCache {
  return new MemberCache(mkdtempSync(join(tmpdir(), 'el-cache-')));
}

test('put then get returns the same outputs and weights', async () => {
  const c = fresh();
  const out = new Float32Array([0.1, 0.9, 0.25, 0.75]);
  const w = new Uint8Array([1, 2, 3]);
  await c.put(KEY, info, out, w);
  const r = await c.get(KEY);
  assert.equal(r.status, 'hit');
  if (r.status !== 'hit') return;
  assert.deepEqual([...r.entry.outputs], [...out]);
  assert.deepEqual([...(await c.readWeights(KEY))!], [1, 2, 3]);
  assert.equal(r.entry.meta.memberId, 'm');
  // no temporary folders are left behind
  assert.deepEqual(readdirSync(join(c.dir, 'entries')), [KEY]);
  assert.ok(!(r.entry.outputs.buffer instanceof SharedArrayBuffer));
  // for the two-thread analysis: the same values in a SharedArrayBuffer
  const s = await c.get(KEY, { shared: true });
  assert.equal(s.status, 'hit');
  if (s.status !== 'hit') return;
  assert.ok(s.entry.outputs.buffer instanceof SharedArrayBuffer);
  assert.deepEqual([...s.entry.outputs], [...out]);
});

test('a missing entry is a miss', async () => {
  assert.equal((await fresh().get(KEY)).status, 'miss');
});

test('a flipped byte in outputs.bin is detected, reported and removed', async () => {
  const c = fresh();
  await c.put(KEY, info, new Float32Array([0.5, 0.5]));
  const p = join(c.dir, 'entries', KEY, 'outputs.bin');
  const b = readFileSync(p);
  b[3] ^= 0xff;
  writeFileSync(p, b);
  const r = await c.get(KEY);
  assert.equal(r.status, 'corrupt');
  if (r.status === 'corrupt') assert.match(r.reason, /checksum/);
  assert.equal(existsSync(join(c.dir, 'entries', KEY)), false);
  assert.equal((await c.get(KEY)).status, 'miss');
});

test('a truncated outputs file, a missing weights file and bad meta JSON are each corrupt', async () => {
  for (const damage of ['truncate', 'weights', 'meta'] as const) {
    const c = fresh();
    await c.put(KEY, info, new Float32Array([0.5, 0.5]), new Uint8Array([7]));
    const dir = join(c.dir, 'entries', KEY);
    if (damage === 'truncate') writeFileSync(join(dir, 'outputs.bin'), Buffer.alloc(3));
    if (damage === 'weights') rmSync(join(dir, 'weights.bin'));
    if (damage === 'meta') writeFileSync(join(dir, 'meta.json'), '{"metaVersion": 1, "key"');
    const r = await c.get(KEY);
    assert.equal(r.status, 'corrupt', damage);
  }
});

test('a partial entry (no meta.json: the writer died before finishing) is corrupt, not trusted', async () => {
  const c = fresh();
  mkdirSync(join(c.dir, 'entries', KEY), { recursive: true });
  writeFileSync(join(c.dir, 'entries', KEY, 'outputs.bin'), Buffer.alloc(8));
  const r = await c.get(KEY);
  assert.equal(r.status, 'corrupt');
  assert.equal((await c.get(KEY)).status, 'miss');
});

test('put replaces an existing entry atomically', async () => {
  const c = fresh();
  await c.put(KEY, info, new Float32Array([1, 0]));
  await c.put(KEY, info, new Float32Array([0, 1]));
  const r = await c.get(KEY);
  assert.equal(r.status, 'hit');
  if (r.status === 'hit') assert.deepEqual([...r.entry.outputs], [0, 1]);
});

test('keys that could escape the cache folder are refused', async () => {
  await assert.rejects(() => fresh().get('../../etc'), /invalid cache key/);
});

test('the index records the last key per member and survives a corrupt index file', async () => {
  const c = fresh();
  await c.updateIndex('cfg', { a: KEY });
  await c.updateIndex('cfg', { b: 'b'.repeat(40) });
  assert.deepEqual(await c.readIndex('cfg'), { a: KEY, b: 'b'.repeat(40) });
  writeFileSync(join(c.dir, 'index.json'), '{oops');
  assert.deepEqual(await c.readIndex('cfg'), {});
  await c.updateIndex('cfg', { a: KEY });
  assert.deepEqual(await c.readIndex('cfg'), { a: KEY });
});

test('atomicWrite leaves no temporary file', async () => {
  const d = mkdtempSync(join(tmpdir(), 'el-aw-'));
  await atomicWrite(join(d, 'x.json'), '{"a":1}');
  assert.deepEqual(readdirSync(d), ['x.json']);
});

test('canonical JSON ignores key order and source ranges', () => {
  const a = { b: 1, a: [1, { d: 2, c: 3 }], range: { start: 1 } };
  const b = { a: [1, { c: 3, d: 2 }], b: 1, range: { start: 99 } };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(hashJson(a), hashJson(b));
  assert.notEqual(hashJson(a), hashJson({ ...b, b: 2 }));
});
