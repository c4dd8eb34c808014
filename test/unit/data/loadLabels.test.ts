import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../../src/core/data/errors';
import { loadLabels } from '../../../src/engine/data/loadLabels';

const dir = mkdtempSync(join(tmpdir(), 'el-labels-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const fixtures = join(__dirname, '../../fixtures/data');

test('CSV: one column without a header, with a header, or a label column among others', async () => {
  assert.deepEqual(await loadLabels(file('a.csv', '1\n0\n2\n')), { labels: Float32Array.from([1, 0, 2]) });
  assert.deepEqual(await loadLabels(file('b.csv', 'target\r\n1.5\r\n-2\r\n')), { labels: Float32Array.from([1.5, -2]) });
  assert.deepEqual(await loadLabels(file('c.csv', 'id,label\n7,cat\n8,dog\n9,cat\n')), {
    labels: Float32Array.from([0, 1, 0]),
    classNames: ['cat', 'dog'],
  });
  await assert.rejects(loadLabels(file('d.csv', 'x,y\n1,2\n')), /expected one column or a 'label' column/);
  // Error positions count the numeric first line as line 1.
  await assert.rejects(loadLabels(file('e.csv', '1\n2\n""\n')), (e: unknown) => e instanceof DataError && e.line === 3 && e.column === 1);
});

test('CSV mixed numbers and text becomes categorical; located errors', async () => {
  const l = await loadLabels(file('f.csv', 'label\n2\nx\n'));
  assert.deepEqual(l, { labels: Float32Array.from([0, 1]), classNames: ['2', 'x'] });
  await assert.rejects(loadLabels(file('g.csv', 'id,label\n1,a\n2,\n')), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.deepEqual([e.line, e.column, e.message], [3, 3, "empty label in column 'label'"]);
    return true;
  });
});

test('JSON: array, {labels}, or rows with a label field', async () => {
  assert.deepEqual(await loadLabels(file('a.json', '[0, 1, 1, 2]')), { labels: Float32Array.from([0, 1, 1, 2]) });
  assert.deepEqual(await loadLabels(file('b.json', '{"labels": ["b", "a", "b"]}')), { labels: Float32Array.from([1, 0, 1]), classNames: ['a', 'b'] });
  assert.deepEqual(await loadLabels(file('c.json', '[{"label": 3.5, "x": 1}, {"label": 4, "x": 2}]')), { labels: Float32Array.from([3.5, 4]) });
  await assert.rejects(loadLabels(file('d.json', '[0,\n 1,\n null]')), (e: unknown) => e instanceof DataError && e.line === 3 && e.column === 2);
  await assert.rejects(loadLabels(file('e.json', '[0, 1')), (e: unknown) => e instanceof DataError && /invalid JSON/.test(e.message) && e.line === 1);
  await assert.rejects(loadLabels(file('f.json', '[]')), /has no labels/);
});

test('npy: 1-D or (n, 1) arrays from numpy fixtures; other shapes rejected', async () => {
  assert.deepEqual(await loadLabels(join(fixtures, 'labels_col.npy')), { labels: Float32Array.from([1, 0, 2]) });
  const i64 = await loadLabels(join(fixtures, 'i64_labels.npy'));
  assert.deepEqual(Array.from(i64.labels.subarray(0, 6)), [0, 2, 1, 1, 0, 2]);
  await assert.rejects(loadLabels(join(fixtures, 'f32_2d.npy')), /expected a 1-D array or an \(n, 1\) column, got shape \(3, 4\)/);
  await assert.rejects(loadLabels(file('x.txt', '1')), /unsupported labels file type/);
});

test('classification: numeric labels must be integers >= 0, located at the offending cell; regression takes any number', async () => {
  const located = (line: number, column: number, value: string) => (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.deepEqual([e.line, e.column], [line, column]);
    assert.match(e.message, new RegExp(`is ${value}, not a class index`));
    return true;
  };
  await assert.rejects(loadLabels(file('h.csv', 'label\n0\n1\n-1\n'), 'classification'), located(4, 1, '-1'));
  await assert.rejects(loadLabels(file('i.csv', '0\n2.5\n'), 'classification'), located(2, 1, '2.5'));
  await assert.rejects(loadLabels(file('j.json', '{"labels": [0,\n  1, 0.5]}'), 'classification'), located(2, 6, '0.5'));
  await assert.rejects(loadLabels(file('k.csv', 'id,label\n1,0\n2,-3\n'), 'classification'), located(3, 3, '-3'));
  assert.deepEqual(await loadLabels(file('l.csv', '0\n2.5\n-1\n'), 'regression'), { labels: Float32Array.from([0, 2.5, -1]) });
  assert.deepEqual(await loadLabels(file('m.csv', '2\n0\n1\n'), 'classification'), { labels: Float32Array.from([2, 0, 1]) });
  // text labels are class names whatever they look like
  assert.deepEqual(await loadLabels(file('n.csv', 'label\n-1\nx\n'), 'classification'), { labels: Float32Array.from([0, 1]), classNames: ['-1', 'x'] });
});
