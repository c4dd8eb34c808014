// The host's channel: nothing reaches the webview before `ready`; each `ready` gets the complete last
// snapshot (then the latest training progress); requests are answered with inReplyTo; invalid
// messages are dropped and reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardChannel, type DashboardRequest } from '../../../src/extension/dashboard/channel';
import type { DashboardSnapshot, ToWebview, TrainingProgress } from '../../../src/core/webviewProtocol';
import type { EnsembleReport } from '../../../src/core/report';

function snap(name: string): DashboardSnapshot {
  return { host: 'extension', report: { config: { name }, data: { nTest: 5 }, members: [{ id: 'a' }, { id: 'b' }] } as unknown as EnsembleReport };
}
const progress = (runId: string): TrainingProgress => ({ runId, running: true, members: [] });

function setup(request: (m: DashboardRequest) => Promise<void> = async () => {}) {
  const posted: ToWebview[] = [];
  const rejected: string[] = [];
  const events: string[] = [];
  const ch = new DashboardChannel({ postMessage: async (m) => (posted.push(m), true) }, { request, event: (m) => events.push(m.type), rejected: (e) => rejected.push(e) });
  return { ch, posted, rejected, events };
}

test('queues until ready, then sends the latest snapshot and progress only', async () => {
  const { ch, posted } = setup();
  ch.setSnapshot(snap('one'));
  ch.setTraining(progress('r1'));
  ch.setSnapshot(snap('two'));
  ch.setTraining(progress('r2'));
  ch.focus('calibration', 'a');
  assert.equal(posted.length, 0);
  await ch.receive({ type: 'ready', messageId: 1, protocol: 1 });
  assert.deepEqual(posted.map((m) => m.type), ['snapshot', 'training', 'focus']);
  assert.equal(posted[0].type === 'snapshot' && posted[0].snapshot.report.config.name, 'two');
  assert.equal(posted[1].type === 'training' && posted[1].progress.runId, 'r2');
  const ids = posted.map((m) => m.messageId);
  assert.equal(new Set(ids).size, ids.length, 'message ids are unique');
});

test('a focus asked for before the first snapshot waits for it (the webview cannot select an unknown member)', async () => {
  const { ch, posted } = setup();
  await ch.receive({ type: 'ready', messageId: 1, protocol: 1 });
  ch.focus('overview', 'b');
  assert.equal(posted.length, 0, 'no focus before a snapshot');
  ch.setSnapshot(snap('s'));
  assert.deepEqual(posted.map((m) => m.type), ['snapshot', 'focus']);
  assert.equal(posted[1].type === 'focus' && posted[1].memberId, 'b');
  ch.setSnapshot(snap('t'));
  assert.deepEqual(posted.map((m) => m.type), ['snapshot', 'focus', 'snapshot'], 'a held focus is sent once');
  ch.focus(undefined, 'a');
  assert.equal(posted.at(-1)?.type, 'focus', 'with a snapshot, focus goes at once');
});

test('a rebuilt webview (reset, ready again) gets the complete snapshot again', async () => {
  const { ch, posted } = setup();
  await ch.receive({ type: 'ready', messageId: 1, protocol: 1 });
  ch.setSnapshot(snap('s'));
  assert.equal(posted.length, 1);
  ch.reset();
  ch.setTraining(progress('live'));
  assert.equal(posted.length, 1, 'nothing posted to a hidden webview');
  await ch.receive({ type: 'ready', messageId: 1, protocol: 1 });
  assert.deepEqual(posted.slice(1).map((m) => m.type), ['snapshot', 'training']);
});

test('requests get a reply naming them; errors become error replies', async () => {
  const { ch, posted } = setup(async (m) => {
    if (m.type === 'revealMember' && m.memberId === 'b') throw new Error('no editor');
  });
  ch.setSnapshot(snap('s'));
  await ch.receive({ type: 'ready', messageId: 1, protocol: 1 });
  await ch.receive({ type: 'revealMember', messageId: 41, memberId: 'a' });
  await ch.receive({ type: 'revealMember', messageId: 42, memberId: 'b' });
  const replies = posted.filter((m): m is Extract<ToWebview, { type: 'reply' }> => m.type === 'reply');
  assert.deepEqual(replies.map((r) => [r.inReplyTo, r.ok, r.error]), [[41, true, undefined], [42, false, 'no editor']]);
});

test('invalid messages are dropped and reported; events reach the handler', async () => {
  const { ch, posted, rejected, events } = setup(async () => assert.fail('no request should run'));
  ch.setSnapshot(snap('s'));
  await ch.receive({ type: 'ready', messageId: 1, protocol: 1 });
  const before = posted.length;
  await ch.receive({ type: 'revealMember', messageId: 2, memberId: 'not-in-report' });
  await ch.receive({ type: 'selectSample', messageId: 3, index: 5 });
  await ch.receive('<script>');
  assert.equal(posted.length, before);
  assert.equal(rejected.length, 3);
  await ch.receive({ type: 'selectSample', messageId: 4, index: 4 });
  assert.deepEqual(events, ['selectSample']);
});
