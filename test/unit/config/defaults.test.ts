// The defaults in parseConfig's output are the schema's: read the schema file independently and compare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/core/config/parse';
import { FILE, fakeHost } from './helpers';

interface S { default?: unknown; properties?: Record<string, S>; $ref?: string; oneOf?: S[] }
const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/ensemble.schema.json'), 'utf8')) as S & { definitions: Record<string, S> };
const defs = schema.definitions;
const deref = (s: S): S => (s.$ref ? { ...deref(defs[s.$ref.split('/').pop() as string]), ...s, $ref: undefined } : s);
const defaultsOf = (s: S): Record<string, unknown> =>
  Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, deref(v).default]).filter(([, v]) => v !== undefined));

const MINIMAL = '{ "data": { "source": "iris" }, "members": [ { "id": "m", "layers": [ { "type": "conv2d", "filters": 2 }, { "type": "maxPooling2d" }, { "type": "dense", "units": 3 } ] } ], "attack": {} }';

test('training defaults of a minimal config are the schema defaults', () => {
  const { config } = parseConfig(MINIMAL, FILE);
  const expected = defaultsOf(defs.defaults);
  assert.deepEqual(Object.keys(expected).sort(), ['batchSize', 'bootstrap', 'epochs', 'labelSmoothing', 'learningRate', 'optimizer', 'seed', 'weightDecay']);
  assert.deepEqual(config?.members[0].training, expected);
  assert.deepEqual(expected, { optimizer: 'adam', learningRate: 0.001, epochs: 5, batchSize: 64, seed: 0, bootstrap: false, labelSmoothing: 0, weightDecay: 0 });
});

test('top-level, data, combine and attack defaults are the schema defaults', () => {
  const { config } = parseConfig(MINIMAL, FILE);
  assert.equal(config?.task, schema.properties?.task.default);
  assert.equal(config?.cacheDir, `/proj/cfg/${schema.properties?.cache.default}`);
  assert.equal(config?.data.normalize, defs.normalize.default);
  assert.equal(config?.data.seed, defs.dataSeed.default);
  assert.equal(config?.combine.method, defs.combine.default);
  const attack = defaultsOf(defs.attack);
  assert.deepEqual(config?.attack, { ...attack, epsilon: [attack.epsilon] });
  assert.equal(config?.attack?.stepSize, undefined); // epsilon / 4, left to the attack engine
});

test('layer defaults are the schema defaults of each layer type', () => {
  const { config } = parseConfig(MINIMAL, FILE);
  const src = config?.members[0].source;
  assert.ok(src?.kind === 'layers');
  const { range: _r0, ...conv } = src.layers[0];
  assert.deepEqual(conv, { type: 'conv2d', filters: 2, ...defaultsOf(defs.conv2dLayer) });
  assert.deepEqual(conv, { type: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'valid', activation: 'linear', useBias: true });
  const { range: _r1, ...pool } = src.layers[1];
  assert.deepEqual(pool, { type: 'maxPooling2d', poolSize: 2, padding: 'valid' }); // strides default to poolSize
});

test('user-file data defaults: testFraction from the schema; no label means the loader picks it', () => {
  const { config } = parseConfig('{ "data": { "train": "t.csv" }, "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE);
  assert.equal(config?.data.testFraction, defs.fileData.properties?.testFraction.default);
  assert.equal(defs.fileData.properties?.label.default, undefined);
  assert.equal(config?.data.label, undefined);
});

test('without label, the CSV check uses the loader rule (target column) for features and classes', () => {
  const host = fakeHost([], { '/proj/cfg/t.csv': 'x1,target,x2\n1,a,2\n3,b,4\n5,c,6\n' });
  const ok = parseConfig('{ "data": { "train": "t.csv" }, "members": [ { "id": "m", "features": 2, "layers": [ { "type": "dense", "units": 3, "activation": "softmax" } ] } ] }', FILE, host);
  assert.deepEqual(ok.problems, []);
  const bad = parseConfig('{ "data": { "train": "t.csv" }, "members": [ { "id": "m", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] } ] }', FILE, host);
  assert.deepEqual(bad.problems.map((p) => p.message), ['members[0].layers[0].units: the model outputs 2 values but the data has 3 classes']);
});

test('bundled-set sizes: 80/20 defaults and the synthetic generator size', () => {
  const iris = parseConfig('{ "data": { "source": "iris" }, "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE).config;
  assert.deepEqual([iris?.data.train, iris?.data.test], [120, 30]);
  const blobs = parseConfig('{ "data": { "source": "blobs", "samples": 500 }, "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE).config;
  assert.deepEqual([blobs?.data.train, blobs?.data.test, blobs?.data.samples, blobs?.data.classes], [400, 100, 500, 3]);
});

test('cache resolves against the config folder; the written value is kept too', () => {
  const { config } = parseConfig('{ "data": { "source": "iris" }, "cache": "../shared-cache", "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE);
  assert.equal(config?.cacheDir, '/proj/shared-cache');
  assert.equal(config?.cache, '../shared-cache');
});
