// Ranges, suggestions, bundled dataset facts and the schema validator on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree } from 'jsonc-parser';
import { LineIndex, lineStarts, positionAt, rangeAt } from '../../../src/core/config/ranges';
import { closest, editDistance } from '../../../src/core/config/suggest';
import { builtinDatasetInfo } from '../../../src/core/config/datasets';
import { formatPath, validateNode } from '../../../src/core/config/schemaValidator';
import type { JsonSchema } from '../../../src/core/config/schema';

test('line starts for \\n, \\r\\n and \\r', () => {
  assert.deepEqual(lineStarts('ab\ncd\r\nef\rg'), [0, 3, 7, 10]);
  assert.deepEqual(lineStarts(''), [0]);
});

test('positions and ranges are 0-based with UTF-16 columns', () => {
  const text = 'ab\r\n\u00e9\ud83d\ude00x\nz';
  const idx = new LineIndex(text);
  assert.deepEqual(idx.position(0), { line: 0, character: 0, offset: 0 });
  assert.deepEqual(idx.position(2), { line: 0, character: 2, offset: 2 }); // the \r
  assert.deepEqual(idx.position(4), { line: 1, character: 0, offset: 4 });
  assert.deepEqual(idx.position(7), { line: 1, character: 3, offset: 7 }); // after e-acute and a surrogate pair
  assert.deepEqual(idx.position(99), { line: 2, character: 1, offset: 10 }); // clamped to the end
  assert.equal(idx.offsetAt(1, 3), 7);
  assert.deepEqual(positionAt(text, 9), { line: 2, character: 0, offset: 9 });
  assert.deepEqual(rangeAt(text, 4, 4).end, { line: 1, character: 4, offset: 8 });
});

test('edit distance counts a transposition as one edit', () => {
  assert.equal(editDistance('mnsit', 'mnist'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(closest('learingRate', ['epochs', 'learningRate']), 'learningRate');
  assert.equal(closest('BATCHSIZE', ['batchSize', 'seed']), 'batchSize');
  assert.equal(closest('foo', ['xor', 'iris']), undefined);
  assert.equal(closest('b', ['a']), undefined);
  assert.equal(closest('dens', ['dense', 'dropout']), 'dense');
});

test('builtinDatasetInfo: shapes, classes, tasks and limits', () => {
  const base = { seed: 0, normalize: 'none' as const };
  const mnist = builtinDatasetInfo('mnist', { ...base, test: 3000 });
  assert.deepEqual([mnist.inputShape, mnist.numClasses, mnist.task, mnist.maxTrain, mnist.maxTest], [[28, 28, 1], 10, 'classification', 7000, 3000]);
  assert.deepEqual([mnist.train, mnist.test], [7000, 3000]); // train: min(8000, 10000 - 3000)
  const iris = builtinDatasetInfo('iris', base);
  assert.deepEqual([iris.inputShape, iris.numClasses, iris.train, iris.test, iris.maxTrain], [[4], 3, 120, 30, 120]);
  for (const s of ['moons', 'circles', 'xor'] as const) assert.deepEqual(builtinDatasetInfo(s, base).inputShape, [2]);
  assert.equal(builtinDatasetInfo('spirals', base).numClasses, 2);
  assert.equal(builtinDatasetInfo('spirals', { ...base, classes: 4 }).numClasses, 4);
  assert.equal(builtinDatasetInfo('blobs', base).numClasses, 3);
  const reg = builtinDatasetInfo('regression', base);
  assert.deepEqual([reg.inputShape, reg.numClasses, reg.task], [[8], 1, 'regression']);
  assert.deepEqual(builtinDatasetInfo('regression', { ...base, features: 3 }).inputShape, [3]);
  const moons = builtinDatasetInfo('moons', { ...base, samples: 300, train: 250 });
  assert.deepEqual([moons.train, moons.test, moons.maxTest], [250, 50, 50]); // test: min(60, 300 - 250)
});

test('formatPath quotes keys that are not identifiers', () => {
  assert.equal(formatPath(['members', 1, 'layers', 2, 'units']), 'members[1].layers[2].units');
  assert.equal(formatPath(['combine', 'weights', 'mlp#1']), 'combine.weights["mlp#1"]');
  assert.equal(formatPath([]), '(root)');
});

test('validator: oneOf reports the closest branch; all-wrong types give one message', () => {
  const schema: JsonSchema = {
    oneOf: [
      { type: 'integer', minimum: 1 },
      { type: 'object', additionalProperties: false, required: ['a'], properties: { a: { type: 'string' } } },
    ],
  };
  const errs = (json: string) => validateNode(parseTree(json)!, schema).map((e) => [e.keyword, e.message, e.at.offset, e.at.length]);
  assert.deepEqual(errs('3'), []);
  assert.deepEqual(errs('0'), [['range', '(root): expected an integer >= 1, got 0', 0, 1]]);
  assert.deepEqual(errs('{ "a": "x", "b": 1 }'), [['additionalProperties', 'b: unknown property `b` (allowed: a)', 12, 3]]);
  assert.deepEqual(errs('"s"'), [['type', '(root): expected an integer or an object, got "s"', 0, 3]]);
  const both: JsonSchema = { oneOf: [{ type: 'number' }, { type: 'integer' }] };
  assert.equal(validateNode(parseTree('2')!, both)[0].keyword, 'oneOf');
  assert.deepEqual(validateNode(parseTree('2')!, { anyOf: both.oneOf }), []);
});
