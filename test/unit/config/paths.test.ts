// The pure path helpers agree with node:path's posix and win32 implementations on config-like paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix, win32 } from 'node:path';
import { basenameOf, dirnameOf, extensionOf, isAbsolutePath, resolvePath } from '../../../src/core/config/paths';

test('POSIX: resolve, dirname, basename, extension', () => {
  for (const [dir, p] of [['/proj/cfg', 'models/net.onnx'], ['/proj/cfg', '../data/./t.csv'], ['/proj/cfg', '/abs/x.csv'], ['/', 'a'], ['/proj/cfg', '../../../x'], ['/proj/cfg/', './oof//p.csv']]) {
    assert.equal(resolvePath(dir, p), posix.resolve(dir, p), `${dir} + ${p}`);
  }
  for (const f of ['/proj/cfg/a.ensemble.json', '/a.json', '/x/y/']) assert.equal(dirnameOf(f), posix.dirname(f), f);
  assert.equal(basenameOf('/proj/cfg/demo.ensemble.json'), 'demo.ensemble.json');
  assert.deepEqual(['net.ONNX', 'model.json', 'noext', '.hidden', 'dir.d/file'].map(extensionOf), ['.onnx', '.json', '', '', '']);
  assert.equal(isAbsolutePath('models/x'), false);
});

test('Windows: drive letters, backslashes, UNC shares', () => {
  for (const [dir, p] of [['C:\\proj\\cfg', 'models/net.onnx'], ['C:\\proj\\cfg', '..\\data\\t.csv'], ['C:\\proj', 'D:\\abs\\x.csv'], ['\\\\srv\\share\\cfg', 'oof\\p.csv'], ['C:\\', 'a'], ['C:\\proj\\cfg', '../../../x']]) {
    assert.equal(resolvePath(dir, p), win32.resolve(dir, p), `${dir} + ${p}`);
  }
  for (const f of ['C:\\proj\\cfg\\a.ensemble.json', 'C:\\a.json', '\\\\srv\\share\\cfg\\a.json']) assert.equal(dirnameOf(f), win32.dirname(f), f);
  assert.equal(basenameOf('C:\\proj\\demo.ensemble.json'), 'demo.ensemble.json');
  assert.ok(isAbsolutePath('C:/x') && isAbsolutePath('\\\\srv\\share\\x'));
});
