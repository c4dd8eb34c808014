// Range mapping through edits: positions before, after and inside a change; insertions at a range's
// edges; multi-line inserts and deletes; a sequence of changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapPos, mapRange, mapRangeAll, touches, type Rng, type TextChange } from '../../../src/extension/logic/rangeMap';

const P = (line: number, character: number) => ({ line, character });
const R = (l1: number, c1: number, l2: number, c2: number): Rng => ({ start: P(l1, c1), end: P(l2, c2) });
const C = (l1: number, c1: number, l2: number, c2: number, text: string): TextChange => ({ range: R(l1, c1, l2, c2), text });

test('positions before a change stay; positions after it shift by its line and column delta', () => {
  const insertTwoLines = C(3, 4, 3, 4, 'ab\ncd\nef'); // inserts 2 line breaks at 3:4, ending at 5:2
  assert.deepEqual(mapPos(P(2, 9), insertTwoLines), P(2, 9));
  assert.deepEqual(mapPos(P(3, 1), insertTwoLines), P(3, 1));
  assert.deepEqual(mapPos(P(3, 10), insertTwoLines), P(5, 8)); // same line: column = 2 + (10 - 4)
  assert.deepEqual(mapPos(P(7, 3), insertTwoLines), P(9, 3)); // later line: only the line moves
});

test('deleting lines moves later positions up and collapses positions inside the deletion', () => {
  const del = C(2, 0, 5, 0, ''); // removes lines 2, 3, 4
  assert.deepEqual(mapPos(P(6, 4), del), P(3, 4));
  assert.deepEqual(mapPos(P(5, 7), del), P(2, 7));
  assert.deepEqual(mapPos(P(3, 2), del, 'start'), P(2, 0));
  assert.deepEqual(mapPos(P(3, 2), del, 'end'), P(2, 0));
});

test('an insertion exactly at a range start moves the range; at its end it does not grow it', () => {
  const r = R(4, 2, 4, 10);
  assert.deepEqual(mapRange(r, C(4, 2, 4, 2, 'xyz')), R(4, 5, 4, 13));
  assert.deepEqual(mapRange(r, C(4, 10, 4, 10, 'xyz')), R(4, 2, 4, 10));
  assert.deepEqual(mapRange(r, C(4, 5, 4, 5, '\n')), R(4, 2, 5, 5));
});

test('a replacement inside a range keeps the range around the new text', () => {
  const r = R(1, 0, 3, 1);
  // replace "units": 8 -> "units": 16 on line 2
  assert.deepEqual(mapRange(r, C(2, 10, 2, 11, '16')), R(1, 0, 3, 1));
  // replace lines 2..3 partially: the range's end was inside and goes to the end of the new text
  assert.deepEqual(mapRange(R(1, 0, 2, 5), C(2, 2, 3, 0, 'Q')), R(1, 0, 2, 3));
});

test('changes apply in sequence', () => {
  const r = R(10, 0, 12, 1);
  const changes = [C(0, 0, 0, 0, '// a\n'), C(1, 0, 3, 0, '')]; // +1 line, then -2 lines
  assert.deepEqual(mapRangeAll(r, changes), R(9, 0, 11, 1));
});

test('touches: inside or overlapping counts, touching the outer edge does not', () => {
  const r = R(3, 4, 5, 2);
  assert.equal(touches(r, C(4, 0, 4, 0, 'x')), true);
  assert.equal(touches(r, C(3, 4, 3, 4, 'x')), false); // inserting before the entry
  assert.equal(touches(r, C(5, 2, 5, 2, ',')), false); // inserting after the entry
  assert.equal(touches(r, C(2, 0, 3, 6, '')), true); // deletion overlapping the start
  assert.equal(touches(r, C(5, 2, 6, 0, '')), false); // deletion right after
  assert.equal(touches(r, C(0, 0, 3, 4, '')), false); // deletion right before
});
