// Shared helpers of the members tests: fixture paths, MemberSpec / Dataset builders, tolerance checks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemberSource, MemberSpec, SourceRange } from '../../../src/core/config/types';
import type { Dataset } from '../../../src/core/data/types';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');
export const MODELS = join(FIXTURES, 'models');
export const PREDS = join(FIXTURES, 'predictions');

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

const zero = { line: 0, character: 0, offset: 0 };
const range: SourceRange = { start: zero, end: zero };

export function member(source: MemberSource, id = 'm'): MemberSpec {
  return { id, groupId: id, repeatIndex: 0, repeatCount: 1, source, range, idRange: range, entryIndex: 0 };
}

export function predictionMember(file: string): MemberSpec {
  const format = file.endsWith('.csv') ? 'csv' : file.endsWith('.json') ? 'json' : 'npy';
  return member({ kind: 'predictions', path: join(PREDS, file), format });
}

export function modelMember(path: string): MemberSpec {
  return member({ kind: 'model', path, format: path.endsWith('.onnx') ? 'onnx' : 'tfjs' });
}

/** A dataset whose test split is `rows` (each flattened in `inputShape`). */
export function testDataset(rows: number[][], inputShape: number[], numClasses: number, task: Dataset['task'] = 'classification'): Dataset {
  const d = inputShape.reduce((a, b) => a * b, 1);
  const xTest = Float32Array.from(rows.flat());
  assert.equal(xTest.length, rows.length * d);
  return {
    name: 'fixture',
    task,
    inputShape,
    numClasses,
    xTrain: new Float32Array(0),
    yTrain: new Float32Array(0),
    xTest,
    yTest: new Float32Array(rows.length),
    nTrain: 0,
    nTest: rows.length,
    lower: new Float32Array(d).fill(-1e9),
    upper: new Float32Array(d).fill(1e9),
    isImage: inputShape.length === 3,
  };
}

/** Element-wise |a - b| <= tol, reporting the first difference. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    assert.ok(diff <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (|diff| ${diff} > ${tol})`);
  }
}
