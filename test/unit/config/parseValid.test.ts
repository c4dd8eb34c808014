import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import { DIR, FILE, errors, fakeHost, lines, span } from './helpers';

// The example from the brief, laid out so every position can be counted by hand.
const EXAMPLE = lines(
  '{',
  '  "task": "classification",',
  '  "data": { "source": "mnist", "train": 8000, "test": 2000, "seed": 1 },',
  '  "defaults": { "epochs": 5, "batchSize": 64, "optimizer": "adam", "learningRate": 0.001 },',
  '  "members": [',
  '    { "id": "mlp", "repeat": 3, "layers": [ { "type": "flatten" },',
  '        { "type": "dense", "units": 128, "activation": "relu" },',
  '        { "type": "dense", "units": 10, "activation": "softmax" } ] },',
  '    { "id": "torch-net", "model": "models/net.onnx" },',
  '    { "id": "lgbm-oof", "predictions": "oof/lgbm.csv" }',
  '  ],',
  '  "combine": "mean"',
  '}',
);

test('the example parses without problems when its files exist', () => {
  const host = fakeHost([`${DIR}/models/net.onnx`, `${DIR}/oof/lgbm.csv`]);
  const { config, problems } = parseConfig(EXAMPLE, FILE, host);
  assert.deepEqual(problems, []);
  assert.ok(config);
  assert.equal(config.name, 'demo');
  assert.equal(config.dir, DIR);
  assert.equal(config.task, 'classification');
  assert.deepEqual(config.data, { source: 'mnist', train: 8000, test: 2000, seed: 1, normalize: 'none' });
  assert.deepEqual(config.combine.method, 'mean');
  assert.equal(config.cacheDir, `${DIR}/.ensemble-lens`);
});

test('repeat expands into id#1..id#k with seeds offset by the repeat index', () => {
  const { config } = parseConfig(EXAMPLE, FILE);
  assert.ok(config);
  assert.deepEqual(config.members.map((m) => m.id), ['mlp#1', 'mlp#2', 'mlp#3', 'torch-net', 'lgbm-oof']);
  assert.deepEqual(config.members.map((m) => m.groupId), ['mlp', 'mlp', 'mlp', 'torch-net', 'lgbm-oof']);
  assert.deepEqual(config.members.map((m) => m.repeatIndex), [0, 1, 2, 0, 0]);
  assert.deepEqual(config.members.map((m) => m.repeatCount), [3, 3, 3, 1, 1]);
  assert.deepEqual(config.members.map((m) => m.entryIndex), [0, 0, 0, 1, 2]);
  // defaults.seed is absent -> schema default 0; copy i trains with 0 + i
  assert.deepEqual(config.members.slice(0, 3).map((m) => m.training?.seed), [0, 1, 2]);
  assert.equal(config.members[3].training, undefined);
});

test('defaults are merged under each layers member', () => {
  const { config } = parseConfig(EXAMPLE, FILE);
  assert.deepEqual(config?.members[1].training, {
    optimizer: 'adam', learningRate: 0.001, epochs: 5, batchSize: 64, seed: 1,
    bootstrap: false, labelSmoothing: 0, weightDecay: 0,
  });
  const m = config?.members[0].source;
  assert.equal(m?.kind, 'layers');
  if (m?.kind === 'layers') {
    assert.deepEqual(m.layers.map((l) => l.type), ['flatten', 'dense', 'dense']);
    assert.equal(m.layers[2].units, 10);
    assert.equal(m.layers[2].activation, 'softmax');
    // the layer's range is its object: line 7, cols 8..65 (57 characters)
    assert.deepEqual([m.layers[2].range.start.line, m.layers[2].range.start.character], [7, 8]);
    assert.deepEqual([m.layers[2].range.end.line, m.layers[2].range.end.character], [7, 65]);
  }
});

test('paths resolve against the config folder', () => {
  const { config } = parseConfig(EXAMPLE, FILE);
  assert.deepEqual(config?.members[3].source, { kind: 'model', path: '/proj/cfg/models/net.onnx', format: 'onnx' });
  assert.deepEqual(config?.members[4].source, { kind: 'predictions', path: '/proj/cfg/oof/lgbm.csv', format: 'csv' });
});

test('member id ranges are the id values (hand-counted)', () => {
  const { config } = parseConfig(EXAMPLE, FILE);
  assert.ok(config);
  const r = (i: number) => {
    const m = config.members[i].idRange;
    return [m.start.line, m.start.character, m.end.line, m.end.character];
  };
  // `    { "id": "mlp"`: the value starts at col 12 and is 5 characters long with its quotes
  assert.deepEqual(r(0), [5, 12, 5, 17]);
  assert.deepEqual(r(2), [5, 12, 5, 17]); // repeat copies share the entry's ranges
  assert.deepEqual(r(3), [8, 12, 8, 23]); // "torch-net"
  assert.deepEqual(r(4), [9, 12, 9, 22]); // "lgbm-oof"
  assert.equal(config.members[3].range.start.line, 8);
  assert.equal(config.members[3].range.start.character, 4);
  assert.deepEqual([config.members[0].range.start.line, config.members[0].range.end.line, config.members[0].range.end.character], [5, 7, 69]);
  assert.deepEqual([config.membersRange?.start.line, config.membersRange?.start.character, config.membersRange?.end.line], [4, 13, 10]);
  assert.deepEqual([config.rootRange.start.offset, config.rootRange.end.offset], [0, EXAMPLE.length]);
});

test('comments and trailing commas are accepted', () => {
  const text = lines(
    '// an ensemble',
    '{',
    '  /* bundled data */ "data": { "source": "iris", },',
    '  "members": [',
    '    { "id": "m", "layers": [ { "type": "dense", "units": 3, "activation": "softmax" }, ], }, // one',
    '  ],',
    '}',
  );
  const { config, problems } = parseConfig(text, FILE);
  assert.deepEqual(problems, []);
  assert.equal(config?.members[0].id, 'm');
  assert.deepEqual(span({ range: config!.members[0].idRange } as never), [4, 12, 4, 15]);
});

test('CRLF line endings give the same lines and columns', () => {
  const text = EXAMPLE.replace(/\n/g, '\r\n');
  const { config } = parseConfig(text, FILE);
  const r = config!.members[3].idRange;
  assert.deepEqual([r.start.line, r.start.character, r.end.line, r.end.character], [8, 12, 8, 23]);
  assert.equal(text.slice(r.start.offset, r.end.offset), '"torch-net"');
});

test('a regression dataset implies a regression task; 1 output, no softmax needed', () => {
  const text = '{ "data": { "source": "regression", "features": 3 }, "members": [ { "id": "r", "layers": [ { "type": "dense", "units": 8, "activation": "relu" }, { "type": "dense", "units": 1 } ] } ] }';
  const { config, problems } = parseConfig(text, FILE);
  assert.deepEqual(problems, []);
  assert.equal(config?.task, 'regression');
  assert.equal(config?.data.features, 3);
  assert.equal(config?.data.samples, 1000); // 800 + 200 generated when nothing is given
});

test('weighted combine: group ids spread to every copy, weights keyed by member id', () => {
  const text = lines(
    '{ "data": { "source": "moons" },',
    '  "members": [ { "id": "m", "repeat": 2, "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },',
    '               { "id": "p", "predictions": "p.npy" } ],',
    '  "combine": { "method": "weighted", "weights": { "m": 0.25, "p": 0.5 } } }',
  );
  const { config, problems } = parseConfig(text, FILE);
  assert.deepEqual(errors(problems), []);
  assert.deepEqual(config?.combine.weights, { 'm#1': 0.25, 'm#2': 0.25, p: 0.5 });
  assert.equal(config?.combine.method, 'weighted');
  assert.deepEqual(config?.members[2].source, { kind: 'predictions', path: '/proj/cfg/p.npy', format: 'npy' });
});

test('user CSV data: header gives the input size, labels give the classes', () => {
  const csv = 'a,b,c,target\n0.1,0.2,0.3,0\n1,2,3,2\n4,5,6,1\n';
  const host = fakeHost([], { [`${DIR}/data/train.csv`]: csv });
  const text = '{ "data": { "train": "data/train.csv", "label": "target" }, "members": [ { "id": "m", "features": 2, "layers": [ { "type": "dense", "units": 3, "activation": "softmax" } ] } ] }';
  const { config, problems } = parseConfig(text, FILE, host);
  assert.deepEqual(problems, []);
  assert.deepEqual(config?.data, { train: '/proj/cfg/data/train.csv', testFraction: 0.2, label: 'target', seed: 0, normalize: 'none' });
});

test('repeat seeds start at the member seed, else the defaults seed', () => {
  const text = lines(
    '{ "data": { "source": "xor" }, "defaults": { "seed": 7, "epochs": 2 },',
    '  "members": [ { "id": "a", "repeat": 2, "seed": 10, "epochs": 9, "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },',
    '               { "id": "b", "repeat": 3, "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },',
    '               { "id": "c", "repeat": 1, "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] } ] }',
  );
  const { config, problems } = parseConfig(text, FILE);
  assert.deepEqual(problems, []);
  assert.deepEqual(config?.members.map((m) => [m.id, m.training?.seed, m.training?.epochs]), [
    ['a#1', 10, 9], ['a#2', 11, 9], ['b#1', 7, 2], ['b#2', 8, 2], ['b#3', 9, 2], ['c#1', 7, 2],
  ]);
});
