// Prediction files: every format loads to the values the generator wrote (scripts/fixtures/make_models.py),
// and every broken variant fails with the message and 1-based line/column the generator computed.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadMemberOutputs, MemberLoadError, type MemberContext } from '../../../src/engine/members/loadMember';
import { assertClose, member, PREDS, predictionMember, readJson } from './helpers';

const iris = readJson<{ nTest: number; numClasses: number; classNames: string[]; probs: number[][] }>(join(PREDS, 'iris_expected.json'));
const reg = readJson<{ nTest: number; values: number[] }>(join(PREDS, 'reg_expected.json'));
const broken = readJson<Record<string, { message?: string; line?: number; column?: number; contains?: string }>>(join(PREDS, 'broken_expected.json'));
const cls = { nTest: iris.nTest, numClasses: 3, task: 'classification' as const, classNames: iris.classNames, baseDir: PREDS };
const regression = { nTest: reg.nTest, numClasses: 1, task: 'regression' as const, baseDir: PREDS };

const temps: string[] = [];
function tempDir(): string {
  temps.push(mkdtempSync(join(tmpdir(), 'members-')));
  return temps[temps.length - 1];
}
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function loadError(file: string, ctx: MemberContext = cls): Promise<MemberLoadError> {
  try {
    await loadMemberOutputs(predictionMember(file), ctx);
  } catch (e) {
    assert.ok(e instanceof MemberLoadError, `${file}: expected a MemberLoadError, got ${String(e)}`);
    return e;
  }
  assert.fail(`${file}: loaded without error`);
}

describe('prediction files: formats', () => {
  const files = ['iris_probs.csv', 'iris_probs_p.csv', 'iris_probs_named.csv', 'iris_probs.json', 'iris_probs_obj.json', 'iris_probs_f32.npy', 'iris_probs_f64.npy'];
  for (const file of files) {
    it(`${file} equals the expected probabilities in test order`, async () => {
      const out = await loadMemberOutputs(predictionMember(file), cls);
      assert.ok(out instanceof Float32Array);
      assertClose(out, iris.probs.flat(), 1e-7, file);
    });
  }
  for (const file of ['reg_pred.csv', 'reg_pred.npy', 'reg_pred.json']) {
    it(`${file} equals the expected regression values`, async () => {
      assertClose(await loadMemberOutputs(predictionMember(file), regression), reg.values, 1e-5, file);
    });
  }
  const binary = readJson<{ nTest: number; probs: number[][] }>(join(PREDS, 'binary_expected.json'));
  for (const file of ['binary_pred.csv', 'binary_pred.npy', 'binary_pred.json']) {
    it(`${file}: one P(class 1) per row becomes [1 - p, p] for two classes`, async () => {
      const out = await loadMemberOutputs(predictionMember(file), { nTest: binary.nTest, numClasses: 2, task: 'classification' });
      assertClose(out, binary.probs.flat(), 1e-6, file);
    });
  }
  it('one value per row is not enough for three classes', async () => {
    const err = await loadError('binary_pred.npy');
    assert.match(err.message, /shape \[30\]: one value per sample, but the dataset has 3 classes/);
  });
  it('named columns without class names in the context are taken in file order', async () => {
    const out = await loadMemberOutputs(predictionMember('iris_probs_named.csv'), { ...cls, classNames: undefined });
    // File order is virginica, setosa, versicolor: column 0 now holds virginica's probability.
    assert.ok(Math.abs(out[0] - iris.probs[0][2]) < 1e-7);
  });
  it('1-based ids are accepted when they are exactly 1..n', async () => {
    const dir = tempDir();
    const lines = ['id,p0,p1,p2', '2,0.25,0.25,0.5', '1,0.1,0.2,0.7'];
    writeFileSync(join(dir, 'one.csv'), lines.join('\n'));
    const out = await loadMemberOutputs(member({ kind: 'predictions', path: join(dir, 'one.csv'), format: 'csv' }), { ...cls, nTest: 2 });
    assertClose(out, [0.1, 0.2, 0.7, 0.25, 0.25, 0.5], 1e-7);
  });
});

describe('prediction files: broken variants', () => {
  for (const [file, want] of Object.entries(broken)) {
    it(`${file}: ${want.message ?? want.contains}`, async () => {
      const err = await loadError(file);
      assert.equal(err.file, join(PREDS, file));
      if (want.message) assert.equal(err.toString(), want.message);
      if (want.contains) assert.ok(err.message.includes(want.contains), `message: ${err.message}`);
      assert.equal(err.line, want.line, `line in: ${err.toString()}`);
      if (want.column !== undefined) assert.equal(err.column, want.column, `column in: ${err.toString()}`);
      assert.ok(err.toString().startsWith(`${file}${want.line ? `:${want.line}` : ''}`), err.toString());
    });
  }
  it('a missing file says so, naming it', async () => {
    const err = await loadError('nope.csv');
    assert.equal(err.toString(), 'nope.csv: file not found');
    assert.equal(err.line, undefined);
  });
  it('names the file relative to baseDir, as in `oof/lgbm.csv: 1999 rows, ...`', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'oof'));
    copyFileSync(join(PREDS, 'broken_short.csv'), join(dir, 'oof', 'lgbm.csv'));
    const spec = member({ kind: 'predictions', path: join(dir, 'oof', 'lgbm.csv'), format: 'csv' });
    const err = await loadMemberOutputs(spec, { ...cls, baseDir: dir }).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.equal(err.toString(), 'oof/lgbm.csv: 29 rows, but the test split has 30 samples');
    assert.equal(err.file, join(dir, 'oof', 'lgbm.csv'));
  });
  it('regression rejects a file with two unnamed columns', async () => {
    const err = await loadError('iris_probs.csv', regression);
    assert.match(err.message, /expected one prediction column/);
    assert.equal(err.line, 1);
  });
  it('duplicate ids point at the second one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dup.csv'), 'index,p0,p1,p2\n0,0.1,0.2,0.7\n0,0.1,0.2,0.7\n');
    const err = await loadMemberOutputs(member({ kind: 'predictions', path: join(dir, 'dup.csv'), format: 'csv' }), { ...cls, nTest: 2 }).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.equal(err.line, 3);
    assert.equal(err.column, 1);
    assert.match(err.message, /index 0 appears twice \(also on line 2\)/);
  });
});
