// Member views: status from cache, live run, edits and failures; metrics only from a report that
// matches the member's current cache key; the gutter icon of a member or repeat group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import type { EnsembleConfig } from '../../../src/core/config/types';
import { buildViews, groupByEntry, iconKind, type LiveState, type MemberView } from '../../../src/extension/logic/memberView';
import { handReport } from './handReport';

const TEXT = `{
  "data": { "source": "moons", "samples": 200 },
  "members": [
    { "id": "a", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "b", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "c", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "d", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "e", "repeat": 2, "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] }
  ]
}`;

function config(): EnsembleConfig {
  const r = parseConfig(TEXT, '/tmp/v.ensemble.json');
  assert.ok(r.config, JSON.stringify(r.problems));
  return r.config;
}

const trainedCache = () =>
  Object.fromEntries(['a', 'b', 'c', 'd', 'e#1', 'e#2'].map((id) => [id, { state: 'trained' as const, key: `k-${id}` }]));
const keys = () => Object.fromEntries(['a', 'b', 'c', 'd', 'e#1', 'e#2'].map((id) => [id, `k-${id}`]));

test('trained members carry the report metrics, partner numbers and health', () => {
  const v = buildViews({ config: config(), cache: trainedCache(), report: handReport(), reportKeys: keys() });
  const a = v.members.find((m) => m.id === 'a');
  assert.equal(a?.status, 'trained');
  assert.equal(a?.metrics?.accuracy, 0.9);
  assert.deepEqual(a?.closest, { id: 'b', rho: 0.97 });
  assert.equal(a?.health, 'helping');
  assert.equal(v.members.find((m) => m.id === 'b')?.health, 'redundant');
  assert.equal(v.members.find((m) => m.id === 'd')?.health, 'hurting');
  assert.equal(v.ensemble.trained, 6);
  assert.equal(v.ensemble.metrics?.accuracy, 0.9);
  assert.equal(v.ensemble.stale, false);
  // the report's member `e` is not in this config (ids e#1, e#2): its failure is not a finding here
  assert.deepEqual([...new Set(v.findings.map((f) => f.kind))].sort(), ['hurting', 'miscalibrated', 'redundant']);
});

test('an edited member is stale at once and shows its previous numbers; its findings are dropped', () => {
  const v = buildViews({ config: config(), cache: trainedCache(), report: handReport(), reportKeys: keys(), edited: new Set(['b']) });
  const b = v.members.find((m) => m.id === 'b');
  assert.equal(b?.status, 'stale');
  assert.equal(b?.metrics?.accuracy, 0.89);
  assert.equal(b?.health, undefined);
  assert.equal(v.findings.some((f) => f.memberId === 'b'), false);
  assert.equal(v.ensemble.stale, true);
});

test('an edit to a member never trained leaves it not trained', () => {
  const cache = { ...trainedCache(), c: { state: 'not-trained' as const, key: 'k2-c' } };
  const v = buildViews({ config: config(), cache, edited: new Set(['c']) });
  assert.equal(v.members.find((m) => m.id === 'c')?.status, 'not-trained');
});

test('a report built for other cache keys does not give metrics to re-keyed members', () => {
  const cache = { ...trainedCache(), a: { state: 'trained' as const, key: 'k-a-new' } };
  const v = buildViews({ config: config(), cache, report: handReport(), reportKeys: keys() });
  const a = v.members.find((m) => m.id === 'a');
  assert.equal(a?.status, 'trained');
  assert.equal(a?.metrics, undefined);
  assert.equal(v.ensemble.stale, true);
});

test('live states: queued and training while running; a failure sticks until the key changes', () => {
  const live = new Map<string, LiveState>([
    ['a', { state: 'training', epoch: { epoch: 2, epochs: 5, loss: 0.5, samplesPerSec: 100, elapsedMs: 1 } }],
    ['b', { state: 'queued' }],
    ['c', { state: 'failed', message: 'NaN loss', key: 'k-c' }],
  ]);
  const cache = { ...trainedCache(), a: { state: 'not-trained' as const, key: 'k-a' }, b: { state: 'not-trained' as const, key: 'k-b' }, c: { state: 'not-trained' as const, key: 'k-c' } };
  const v = buildViews({ config: config(), cache, live, running: true });
  assert.deepEqual(v.members.slice(0, 3).map((m) => m.status), ['training', 'queued', 'failed']);
  assert.equal(v.members[0].epoch?.epoch, 2);
  assert.equal(v.members[2].message, 'NaN loss');
  assert.deepEqual(v.findings.map((f) => [f.kind, f.memberId]), [['failed', 'c']]);
  assert.equal(v.ensemble.training, 2);
  // After the run: queued/training fall back to the cache; the failure stays for the same key...
  const after = buildViews({ config: config(), cache, live, running: false });
  assert.deepEqual(after.members.slice(0, 3).map((m) => m.status), ['not-trained', 'not-trained', 'failed']);
  // ...and is forgotten once the member's spec (its key) changes.
  const edited = buildViews({ config: config(), cache: { ...cache, c: { state: 'not-trained', key: 'k-c2' } }, live, running: false });
  assert.equal(edited.members[2].status, 'not-trained');
});

test('groups follow entries; the icon is the most urgent status, else the shared health', () => {
  const cfg = config();
  const v = buildViews({ config: cfg, cache: trainedCache() });
  const groups = groupByEntry(cfg, v.members);
  assert.deepEqual(groups.map((g) => g.members.map((m) => m.id)), [['a'], ['b'], ['c'], ['d'], ['e#1', 'e#2']]);
  const mk = (status: MemberView['status'], health?: MemberView['health']): MemberView => ({ id: 'x', groupId: 'x', status, health });
  assert.equal(iconKind([mk('trained', 'helping'), mk('failed')]), 'failed');
  assert.equal(iconKind([mk('trained'), mk('stale'), mk('queued')]), 'queued');
  assert.equal(iconKind([mk('trained', 'redundant')]), 'redundant');
  assert.equal(iconKind([mk('trained', 'redundant'), mk('trained', 'helping')]), 'trained');
  assert.equal(iconKind([mk('trained', 'hurting'), mk('trained', 'hurting')]), 'hurting');
  assert.equal(iconKind([mk('not-trained')]), 'not-trained');
});
