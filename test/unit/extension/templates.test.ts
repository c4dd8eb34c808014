// New Ensemble Config templates are valid configs, and new file names never clash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import { TEMPLATES, uniqueFileName } from '../../../src/extension/logic/templates';

const everyFileExists = { exists: () => true, readText: () => 'label\n0\n1\n' };

test('every template parses without errors and has the members it promises', () => {
  const expected: Record<string, string[]> = {
    deep: ['mlp#1', 'mlp#2', 'mlp#3', 'mlp#4', 'mlp#5'],
    bagging: ['bag#1', 'bag#2', 'bag#3', 'bag#4', 'bag#5', 'bag#6', 'bag#7'],
    heterogeneous: ['linear', 'narrow', 'deep', 'dropout'],
    predictions: ['model-a', 'model-b'],
  };
  assert.deepEqual(TEMPLATES.map((t) => t.id).sort(), Object.keys(expected).sort());
  for (const t of TEMPLATES) {
    const r = parseConfig(t.text, `/tmp/${t.fileName}`, everyFileExists);
    const errors = r.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors.map((p) => p.message), [], t.id);
    assert.deepEqual(r.config?.members.map((m) => m.id), expected[t.id], t.id);
    assert.ok(t.fileName.endsWith('.ensemble.json'));
  }
  const bag = parseConfig(TEMPLATES.find((t) => t.id === 'bagging')!.text, '/tmp/b.ensemble.json');
  assert.equal(bag.config?.members.every((m) => m.training?.bootstrap === true), true);
});

test('uniqueFileName counts up past existing files', () => {
  const taken = new Set(['deep.ensemble.json', 'deep-2.ensemble.json']);
  assert.equal(uniqueFileName('deep.ensemble.json', (n) => taken.has(n)), 'deep-3.ensemble.json');
  assert.equal(uniqueFileName('bagging.ensemble.json', (n) => taken.has(n)), 'bagging.ensemble.json');
});
