// Quick-fix edits keep the user's layout: removing a member entry or a property touches nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, removeItem, removeProperty, setValue, topLevelValueRanges } from '../../../src/extension/logic/jsonEdits';

const TEXT = `{
  // members
  "members": [
    { "id": "a", "layers": [] },
    { "id": "b", "repeat": 3, "bootstrap": true, "layers": [
        { "type": "dense" } ] },
    { "id": "c", "predictions": "c.csv" }
  ]
}`;

const apply = (e: ReturnType<typeof removeItem>) => {
  assert.ok(e);
  return applyEdits(TEXT, [e]);
};

test('removing a middle entry keeps the next entry on its indentation', () => {
  assert.equal(
    apply(removeItem(TEXT, ['members', 1])),
    `{
  // members
  "members": [
    { "id": "a", "layers": [] },
    { "id": "c", "predictions": "c.csv" }
  ]
}`,
  );
});

test('removing the last entry takes the comma before it', () => {
  assert.equal(
    apply(removeItem(TEXT, ['members', 2])),
    `{
  // members
  "members": [
    { "id": "a", "layers": [] },
    { "id": "b", "repeat": 3, "bootstrap": true, "layers": [
        { "type": "dense" } ] }
  ]
}`,
  );
});

test('removing a property keeps the rest of its line', () => {
  const out = apply(removeProperty(TEXT, ['members', 1, 'repeat']));
  assert.equal(out.split('\n')[4], '    { "id": "b", "bootstrap": true, "layers": [');
  assert.equal(out.split('\n').length, TEXT.split('\n').length);
  const last = apply(removeProperty(TEXT, ['members', 2, 'predictions']));
  assert.equal(last.split('\n')[6], '    { "id": "c" }');
});

test('setting a value replaces just the value', () => {
  assert.equal(apply(setValue(TEXT, ['members', 1, 'repeat'], 2)).split('\n')[4], '    { "id": "b", "repeat": 2, "bootstrap": true, "layers": [');
  assert.equal(removeItem(TEXT, ['members', 9]), undefined);
  assert.equal(removeProperty(TEXT, ['members', 0, 'repeat']), undefined);
});

test('topLevelValueRanges finds the value of each named top-level property', () => {
  const text = '{\n  "data": { "source": "moons" },\n  // x\n  "defaults": {\n    "epochs": 3\n  }\n}';
  assert.deepEqual(topLevelValueRanges(text, ['data', 'defaults', 'task']), [
    { start: { line: 1, character: 10 }, end: { line: 1, character: 31 } },
    { start: { line: 3, character: 14 }, end: { line: 5, character: 3 } },
  ]);
  assert.deepEqual(topLevelValueRanges('[1]', ['data']), []);
});
