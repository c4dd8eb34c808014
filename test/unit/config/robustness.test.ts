// The editor parses on every keystroke: half-typed configs must never throw, and every problem's range
// must lie inside the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import { FILE, fakeHost } from './helpers';

const TEXT = `{
  // every kind of block, so truncations cut through each
  "name": "all", "task": "classification",
  "data": { "train": "d/train.csv", "label": "y", "featureColumns": ["a", 1], "normalize": "standard" },
  "defaults": { "epochs": 2, "features": 0.5, "bootstrap": true },
  "members": [
    { "id": "m", "repeat": 2, "layers": [ { "type": "reshape", "targetShape": [1, 2, 1] },
      { "type": "conv2d", "filters": 2, "kernelSize": [1, 1], "padding": "same" }, { "type": "flatten" },
      { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "p", "predictions": "p.json" }, { "id": "o", "model": "net/model.json" }
  ],
  "combine": { "method": "weighted", "weights": { "m": 1, "p": 2 } },
  "attack": { "epsilon": [0.1, 0.2], "targeted": true, "targetClass": 1, "ensembleAttacks": ["ens", "cwa"] },
  "cache": ".c"
}`;
const host = fakeHost([], { '/proj/cfg/d/train.csv': 'a,b,y\n1,2,0\n3,4,1\n' });

test('the full config is valid', () => {
  const { problems, config } = parseConfig(TEXT, FILE, fakeHost(['/proj/cfg/p.json', '/proj/cfg/net/model.json'], { '/proj/cfg/d/train.csv': 'a,b,y\n1,2,0\n3,4,1\n' }));
  assert.deepEqual(problems, []);
  assert.deepEqual(config?.members.map((m) => m.id), ['m#1', 'm#2', 'p', 'o']);
  assert.deepEqual(config?.data.featureColumns, ['a', 1]);
  assert.deepEqual(config?.attack?.epsilon, [0.1, 0.2]);
});

test('every prefix and every one-character deletion parses without throwing, with ranges in bounds', () => {
  for (let i = 0; i < TEXT.length; i++) {
    for (const t of [TEXT.slice(0, i), TEXT.slice(0, i) + TEXT.slice(i + 1)]) {
      const { problems } = parseConfig(t, FILE, host);
      for (const p of problems) {
        assert.ok(p.range.start.offset <= p.range.end.offset && p.range.end.offset <= t.length, `${p.code} out of range at cut ${i}`);
        assert.ok(p.message.length > 0);
      }
    }
  }
});

test('non-object roots give a problem and no config', () => {
  const empty = parseConfig('', FILE);
  assert.deepEqual([empty.config, empty.problems[0].code, empty.problems[0].message], [undefined, 'json-syntax', 'syntax error: value expected']);
  assert.equal(parseConfig('// only a comment', FILE).problems.length, 1);
  const arr = parseConfig('[1, 2]', FILE);
  assert.equal(arr.config, undefined);
  assert.deepEqual([arr.problems[0].message, arr.problems[0].range.end.offset], ['(root): expected an object', 6]);
});
