// validateFromWebview: every well-formed message passes; malformed or out-of-context ones are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFromWebview, type ValidationContext } from '../../../src/core/webviewProtocol';

const ctx: ValidationContext = { memberIds: ['a', 'b#1'], nTest: 10 };

test('well-formed messages pass unchanged', () => {
  const good = [
    { type: 'ready', messageId: 0, protocol: 1 },
    { type: 'revealMember', messageId: 3, memberId: 'b#1' },
    { type: 'selectMember', messageId: 4, memberId: null },
    { type: 'selectMember', messageId: 4, memberId: 'a' },
    { type: 'selectSample', messageId: 5, index: 9 },
    { type: 'selectCell', messageId: 6, view: 'diversity', measure: 'kappa', row: 'a', column: 'b#1' },
    { type: 'selectCell', messageId: 6, view: 'transferability', measure: 'rate', row: 'a', column: 'ensemble' },
    { type: 'applyWeights', messageId: 7, source: 'selection', weights: { a: 0.25, 'b#1': 0.75 } },
    { type: 'refresh', messageId: 8 },
    { type: 'cancelTraining', messageId: 8, runId: 'run-1' },
    { type: 'exportHtml', messageId: 9 },
    { type: 'log', messageId: 10, level: 'error', message: 'boom' },
  ];
  for (const m of good) {
    const v = validateFromWebview(m, ctx);
    assert.ok(v.ok, `${m.type}: ${v.ok ? '' : v.error}`);
    assert.deepEqual(v.ok && v.message, m);
  }
});

test('malformed messages are rejected with a reason', () => {
  const bad: [unknown, RegExp][] = [
    [null, /not an object/],
    [[1, 2], /not an object/],
    ['ready', /not an object/],
    [{ messageId: 1 }, /no type/],
    [{ type: 'ready', protocol: 1 }, /messageId/],
    [{ type: 'ready', messageId: -1, protocol: 1 }, /messageId/],
    [{ type: 'ready', messageId: 1.5, protocol: 1 }, /messageId/],
    [{ type: 'ready', messageId: 1 }, /protocol/],
    [{ type: 'eval', messageId: 1, code: 'x' }, /unknown message type 'eval'/],
    [{ type: 'revealMember', messageId: 1, memberId: 'zzz' }, /unknown member 'zzz'/],
    [{ type: 'revealMember', messageId: 1, memberId: '' }, /member id/],
    [{ type: 'revealMember', messageId: 1, memberId: 42 }, /member id/],
    [{ type: 'revealMember', messageId: 1, memberId: 'a', extra: true }, /unexpected field 'extra'/],
    [{ type: 'selectSample', messageId: 1, index: 10 }, /out of range/],
    [{ type: 'selectSample', messageId: 1, index: -1 }, /non-negative integer/],
    [{ type: 'selectSample', messageId: 1, index: '3' }, /non-negative integer/],
    [{ type: 'selectCell', messageId: 1, view: 'calibration', measure: 'x', row: 'a', column: 'a' }, /view/],
    [{ type: 'selectCell', messageId: 1, view: 'diversity', measure: 'kappa', row: 'a', column: 'nope' }, /unknown member 'nope'/],
    [{ type: 'applyWeights', messageId: 1, source: 'selection', weights: {} }, /empty/],
    [{ type: 'applyWeights', messageId: 1, source: 'selection', weights: { a: -1 } }, />= 0/],
    [{ type: 'applyWeights', messageId: 1, source: 'selection', weights: { a: Number.NaN } }, /finite/],
    [{ type: 'applyWeights', messageId: 1, source: 'selection', weights: { a: 0 } }, /sum to 0/],
    [{ type: 'applyWeights', messageId: 1, source: 'selection', weights: { c: 1 } }, /unknown member 'c'/],
    [{ type: 'applyWeights', messageId: 1, source: 'magic', weights: { a: 1 } }, /source/],
    [{ type: 'applyWeights', messageId: 1, source: 'stacking', weights: [1] }, /weights must be an object/],
    [{ type: 'log', messageId: 1, level: 'fatal', message: 'x' }, /level/],
    [{ type: 'log', messageId: 1, level: 'info', message: 'x'.repeat(5000) }, /message must be a string/],
    [{ type: 'refresh', messageId: 1, force: true }, /unexpected field/],
    [{ type: 'cancelTraining', messageId: 1 }, /runId/],
  ];
  for (const [m, re] of bad) {
    const v = validateFromWebview(m, ctx);
    assert.equal(v.ok, false, `accepted ${JSON.stringify(m)?.slice(0, 80)}`);
    assert.match(v.ok ? '' : v.error, re);
  }
});

test('without a context, ids and indices are only checked for type', () => {
  assert.ok(validateFromWebview({ type: 'revealMember', messageId: 1, memberId: 'anything' }).ok);
  assert.ok(validateFromWebview({ type: 'selectSample', messageId: 1, index: 123456 }).ok);
});
