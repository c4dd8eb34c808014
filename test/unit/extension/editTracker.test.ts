// Stale tracking between parses: editing inside a member marks that member (and only it) at once;
// edits elsewhere move the members' lines; a new parse starts over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import { EditTracker } from '../../../src/extension/logic/editTracker';
import { topLevelValueRanges } from '../../../src/extension/logic/jsonEdits';
import type { TextChange } from '../../../src/extension/logic/rangeMap';

const TEXT = `{
  "data": { "source": "moons", "samples": 200 },
  "members": [
    { "id": "a", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "b", "repeat": 2,
      "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "c", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] }
  ]
}`;

function tracker(): EditTracker {
  const r = parseConfig(TEXT, '/tmp/t.ensemble.json');
  assert.ok(r.config, JSON.stringify(r.problems));
  const t = new EditTracker();
  t.reset(r.config.members.map((m) => ({ id: m.id, range: m.range, idRange: m.idRange })), r.config.membersRange ? [r.config.membersRange] : []);
  return t;
}

const at = (line: number, character: number, text: string, endLine = line, endChar = character): TextChange => ({
  range: { start: { line, character }, end: { line: endLine, character: endChar } },
  text,
});

test('editing a member marks it edited at once, and only it', () => {
  const t = tracker();
  // "units": 2 -> 3 in member c (line 6)
  const col = TEXT.split('\n')[6].indexOf('"units": 2') + 9;
  assert.deepEqual(t.apply([at(6, col, '3', 6, col + 1)]), ['c']);
  assert.deepEqual([...t.edited], ['c']);
  // a second edit in the same member reports nothing new
  assert.deepEqual(t.apply([at(6, col, '4', 6, col + 1)]), []);
});

test('editing a repeat entry marks every member of the group', () => {
  const t = tracker();
  const col = TEXT.split('\n')[4].indexOf('"repeat": 2') + 10;
  assert.deepEqual(t.apply([at(4, col, '3', 4, col + 1)]).sort(), ['b#1', 'b#2']);
});

test('inserting lines above moves every member down without marking any', () => {
  const t = tracker();
  assert.deepEqual(t.apply([at(1, 0, '  // comment\n  // another\n')]), []);
  assert.equal(t.get('a')?.idRange.start.line, 5);
  assert.equal(t.get('b#2')?.idRange.start.line, 6);
  assert.equal(t.get('c')?.idRange.start.line, 8);
  assert.equal(t.extraRanges()[0].start.line, 4); // the members array
  assert.equal(t.edited.size, 0);
});

test('a new member inserted between entries marks none; lines after it move', () => {
  const t = tracker();
  const endOfA = TEXT.split('\n')[3].length;
  assert.deepEqual(t.apply([at(3, endOfA, '\n    { "id": "new", "predictions": "p.csv" },')]), []);
  assert.equal(t.get('a')?.idRange.start.line, 3);
  assert.equal(t.get('b#1')?.idRange.start.line, 5);
  assert.deepEqual(t.memberAtLine(5).map((m) => m.id), ['b#1', 'b#2']);
});

test('deleting a member marks it and pulls later members up; clearEdited forgets', () => {
  const t = tracker();
  // delete line 3 (member a) entirely
  assert.deepEqual(t.apply([at(3, 0, '', 4, 0)]), ['a']);
  assert.equal(t.get('c')?.idRange.start.line, 5);
  t.reset([]);
  assert.equal(t.edited.size, 1, 'kept until the new parse is applied');
  t.clearEdited();
  assert.equal(t.edited.size, 0);
  assert.equal(t.pending, 0);
});

test('members with duplicate ids (a config error) keep their own ranges, by position', () => {
  const text = `{
  "data": { "source": "moons" },
  "members": [
    { "id": "a", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "a", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] }
  ]
}`;
  const r = parseConfig(text, '/tmp/d.ensemble.json');
  assert.ok(r.config);
  const t = new EditTracker();
  t.reset(r.config.members.map((m) => ({ id: m.id, range: m.range, idRange: m.idRange })));
  assert.equal(t.at(0)?.idRange.start.line, 3);
  assert.equal(t.at(1)?.idRange.start.line, 4);
  t.apply([at(0, 0, '\n')]);
  assert.deepEqual([t.at(0)?.idRange.start.line, t.at(1)?.idRange.start.line], [4, 5]);
});

test('edits made while a parse is being applied stay stale when the parse lands', () => {
  const t = tracker();
  const colA = TEXT.split('\n')[3].indexOf('"units": 2') + 9;
  const colC = TEXT.split('\n')[6].indexOf('"units": 2') + 9;
  t.apply([at(3, colA, '3', 3, colA + 1)]); // edit a, then its parse starts...
  t.reset([...['a', 'b#1', 'b#2', 'c'].map((id) => t.get(id)!)]);
  t.apply([at(6, colC, '3', 6, colC + 1)]); // ...and c is edited before the parse's cache state arrives
  t.clearEdited();
  assert.deepEqual([...t.edited], ['c']);
});

test('an edit inside `data` or `defaults` makes every member stale at once; comments outside do not', () => {
  const r = parseConfig(TEXT, '/tmp/t.ensemble.json');
  assert.ok(r.config);
  const t = new EditTracker();
  t.reset(
    r.config.members.map((m) => ({ id: m.id, range: m.range, idRange: m.idRange })),
    [],
    topLevelValueRanges(TEXT, ['data', 'defaults', 'task', 'combine']),
  );
  assert.deepEqual(t.apply([at(0, 1, ' // a comment')]), []);
  const col = TEXT.split('\n')[1].indexOf('200');
  assert.deepEqual(t.apply([at(1, col, '3', 1, col + 1)]).sort(), ['a', 'b#1', 'b#2', 'c']);
});
