// Bad configs: each problem's code, message and hand-counted range (0-based line, character).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import { DIR, FILE, MNIST_MLP, errors, fakeHost, lines, only, span } from './helpers';

test('syntax error: a missing comma is reported at the next token', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "members": [',
    '    { "id": "a" "model": "m.onnx" }',
    '  ]',
    '}',
  );
  const p = only(parseConfig(text, FILE).problems, 'json-syntax');
  assert.equal(p.message, 'syntax error: comma expected');
  assert.deepEqual(span(p), [3, 16, 3, 23]); // the `"model"` token
});

test('unknown property with a did-you-mean fix on the key', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "defaults": { "learingRate": 0.01 },',
    `  "members": [ { "id": "a", "layers": [ ${MNIST_MLP} ] } ]`,
    '}',
  );
  const { problems, config } = parseConfig(text, FILE);
  const p = only(problems, 'unknown-property');
  assert.equal(p.message, 'defaults.learingRate: unknown property `learingRate`; did you mean `learningRate`?');
  assert.deepEqual(span(p), [2, 16, 2, 29]);
  assert.deepEqual(p.path, ['defaults', 'learingRate']);
  assert.equal(p.fix?.newText, '"learningRate"');
  assert.equal(p.fix?.title, 'Change to "learningRate"');
  assert.deepEqual([p.fix?.range.start.character, p.fix?.range.end.character], [16, 29]);
  // the misspelled field is ignored: the schema default applies
  assert.equal(config?.members[0].training?.learningRate, 0.001);
});

test('misspelled layer type: error on the value with a fix', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "members": [',
    '    { "id": "a", "layers": [ { "type": "dens", "units": 10 } ] }',
    '  ]',
    '}',
  );
  const p = only(parseConfig(text, FILE).problems, 'unknown-layer');
  assert.deepEqual(span(p), [3, 39, 3, 45]);
  assert.match(p.message, /^members\[0\]\.layers\[0\]\.type: unknown value "dens" \(expected one of: dense, conv2d,/);
  assert.match(p.message, /did you mean `dense`\?$/);
  assert.equal(p.fix?.newText, '"dense"');
  assert.deepEqual(span({ range: p.fix!.range } as never), [3, 39, 3, 45]);
});

test('duplicate ids, also after repeat expansion', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "members": [',
    `    { "id": "a", "repeat": 2, "layers": [ ${MNIST_MLP} ] },`,
    '    { "id": "a#1", "predictions": "p.csv" },',
    '    { "id": "b", "predictions": "p.csv" },',
    '    { "id": "b", "predictions": "q.csv" }',
    '  ]',
    '}',
  );
  const { problems, config } = parseConfig(text, FILE);
  const dups = problems.filter((p) => p.code === 'duplicate-id');
  assert.equal(dups.length, 2);
  assert.equal(dups[0].message, 'members[1].id: duplicate member id `a#1` (first used by members[0], after repeat expansion)');
  assert.deepEqual(span(dups[0]), [4, 12, 4, 17]);
  assert.equal(dups[1].message, 'members[3].id: duplicate member id `b` (first used by members[2])');
  assert.deepEqual(span(dups[1]), [6, 12, 6, 15]);
  // '#' is reserved: the explicit `a#1` is also a schema error, on the same node
  const pattern = problems.find((p) => p.code === 'schema' && p.path.join('.') === 'members.1.id');
  assert.ok(pattern);
  assert.deepEqual(span(pattern), [4, 12, 4, 17]);
  assert.equal(config?.members.length, 5);
});

test('unknown dataset with a fix', () => {
  const text = lines('{', '  "data": { "source": "mnsit" },', '  "members": [ { "id": "p", "predictions": "p.csv" } ]', '}');
  const p = only(parseConfig(text, FILE).problems, 'unknown-dataset');
  assert.deepEqual(span(p), [1, 22, 1, 29]);
  assert.equal(p.message, 'data.source: unknown value "mnsit" (expected one of: mnist, iris, moons, circles, spirals, blobs, xor, regression); did you mean `mnist`?');
  assert.equal(p.fix?.newText, '"mnist"');
});

test('shape: conv2d after a dense layer', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "members": [',
    '    { "id": "a", "layers": [',
    '      { "type": "flatten" },',
    '      { "type": "dense", "units": 128, "activation": "relu" },',
    '      { "type": "conv2d", "filters": 8 }',
    '    ] }',
    '  ]',
    '}',
  );
  const p = only(parseConfig(text, FILE).problems, 'shape');
  assert.equal(p.message, 'members[0].layers[2]: conv2d needs a 3-D input (height, width, channels) but gets [128] from the previous dense layer');
  assert.deepEqual(span(p), [6, 6, 6, 40]);
});

test('shape: dense on an image needs a flatten; a kernel larger than the input', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "members": [',
    '    { "id": "a", "layers": [ { "type": "dense", "units": 10, "activation": "softmax" } ] },',
    '    { "id": "b", "layers": [ { "type": "maxPooling2d", "poolSize": 4 }, { "type": "conv2d", "filters": 4, "kernelSize": 8 } ] }',
    '  ]',
    '}',
  );
  const shape = parseConfig(text, FILE).problems.filter((p) => p.code === 'shape');
  assert.equal(shape.length, 2);
  assert.equal(shape[0].message, 'members[0].layers[0]: dense needs a 1-D input but gets [28, 28, 1] from the dataset; insert { "type": "flatten" } before it');
  assert.deepEqual(span(shape[0]), [3, 29, 3, 86]);
  // 28 / 4 = 7, then a valid 8x8 kernel gives 7 - 8 + 1 = 0
  assert.equal(shape[1].message, 'members[1].layers[1]: conv2d with kernelSize [8, 8] and padding "valid" shrinks [7, 7, 1] from the previous maxPooling2d layer to [0, 0, 4]');
  assert.equal(shape[1].range.start.line, 4);
});

test('wrong output units, and a warning when the last activation is not softmax', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "members": [ { "id": "a", "layers": [',
    '      { "type": "flatten" },',
    '      { "type": "dense", "units": 5, "activation": "relu" } ] } ]',
    '}',
  );
  const { problems } = parseConfig(text, FILE);
  const p = only(problems, 'output-units');
  assert.equal(p.severity, 'error');
  assert.equal(p.message, 'members[0].layers[1].units: the model outputs 5 values but mnist has 10 classes');
  assert.deepEqual(span(p), [4, 34, 4, 35]);
  const w = only(problems, 'output-activation');
  assert.equal(w.severity, 'warning');
  assert.equal(w.message, 'members[0].layers[1].activation: the last activation is "relu", not softmax: the output will be treated as logits and softmaxed');
  assert.deepEqual(span(w), [4, 51, 4, 57]);
});

test('missing files through the host; no host, no file checks', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    '  "members": [',
    '    { "id": "net", "model": "models/net.onnx" },',
    '    { "id": "oof", "predictions": "oof/lgbm.csv" }',
    '  ]',
    '}',
  );
  const host = fakeHost([`${DIR}/models/net.onnx`]);
  const p = only(parseConfig(text, FILE, host).problems, 'missing-file');
  assert.equal(p.message, 'members[1].predictions: file not found: oof/lgbm.csv (resolved to /proj/cfg/oof/lgbm.csv)');
  assert.deepEqual(span(p), [4, 34, 4, 48]);
  assert.deepEqual(parseConfig(text, FILE).problems, []);
});

test('wrong extensions for model and predictions', () => {
  const text = lines(
    '{ "data": { "source": "iris" },',
    '  "members": [ { "id": "a", "model": "net.pt" }, { "id": "b", "predictions": "p.txt" } ] }',
  );
  const bad = parseConfig(text, FILE).problems.filter((p) => p.code === 'bad-extension');
  assert.deepEqual(bad.map((p) => p.message), [
    'members[0].model: a model (TF.js model.json or .onnx) must be ".json", ".onnx", got ".pt"',
    'members[1].predictions: a predictions file must be ".csv", ".json", ".npy", got ".txt"',
  ]);
  assert.deepEqual(span(bad[0]), [1, 37, 1, 45]);
});

test('combine weights naming an unknown member, with a fix', () => {
  const text = lines(
    '{',
    '  "combine": { "method": "weighted", "weights": { "mpl": 1 } },',
    '  "data": { "source": "mnist" },',
    `  "members": [ { "id": "mlp", "repeat": 2, "layers": [ ${MNIST_MLP} ] } ]`,
    '}',
  );
  const { problems, config } = parseConfig(text, FILE);
  const p = only(problems, 'unknown-member');
  assert.equal(p.message, 'combine.weights.mpl: no member `mpl`; did you mean `mlp`?');
  assert.deepEqual(span(p), [1, 50, 1, 55]);
  assert.equal(p.fix?.newText, '"mlp"');
  // the only weight is unknown: the sum is 0
  assert.equal(only(problems, 'combine-weights').message, 'combine.weights: the weights must have a positive sum');
  assert.deepEqual(config?.combine.weights, {});
});

test('too-large: estimated training memory over the limit', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist" },',
    `  "members": [ { "id": "a", "layers": [ { "type": "flatten" }, { "type": "dense", "units": 128, "activation": "relu" }, { "type": "dense", "units": 10, "activation": "softmax" } ] } ]`,
    '}',
  );
  // 101,770 parameters and 1,706 activations: 4 * (4 * 101770 + 2 * 64 * 1706) = 2,501,792 bytes
  assert.deepEqual(parseConfig(text, FILE, undefined, { maxModelBytes: 2_501_792 }).problems, []);
  const p = only(parseConfig(text, FILE, undefined, { maxModelBytes: 2_000_000 }).problems, 'too-large');
  assert.equal(p.message, 'members[0].layers: training needs about 2.4 MiB (101,770 parameters, 1,706 activations per example, batch 64), over the 1.9 MiB limit');
  assert.deepEqual(span(p), [2, 28, 2, 36]); // the `"layers"` key
  // the default limit is 2 GiB: 784 x 200,000 weights alone need 2.5 GB
  const huge = text.replace('"units": 128', '"units": 200000');
  assert.equal(only(parseConfig(huge, FILE).problems, 'too-large').severity, 'error');
});

test('train + test larger than mnist', () => {
  const text = lines('{', '  "data": { "source": "mnist", "train": 9000, "test": 2000 },', `  "members": [ { "id": "a", "layers": [ ${MNIST_MLP} ] } ]`, '}');
  const p = only(parseConfig(text, FILE).problems, 'dataset-size');
  assert.equal(p.message, 'data.train: train + test = 9000 + 2000 = 11000 but mnist has 10000 examples');
  assert.deepEqual(span(p), [1, 40, 1, 44]);
});

test('two sources: the second key is the error', () => {
  const text = lines('{', '  "data": { "source": "mnist" },', '  "members": [', '    { "id": "a", "model": "m.onnx", "predictions": "p.csv" }', '  ]', '}');
  const p = only(parseConfig(text, FILE).problems, 'member-source');
  assert.equal(p.message, 'members[0].predictions: a member has exactly one source but this one has both `model` and `predictions`; remove one');
  assert.deepEqual(span(p), [3, 36, 3, 49]);
});

test('no source: the member object is the error', () => {
  const text = lines('{', '  "data": { "source": "mnist" },', '  "members": [', '    { "id": "a" }', '  ]', '}');
  const p = only(parseConfig(text, FILE).problems, 'member-source');
  assert.equal(p.message, 'members[0]: needs exactly one of `layers`, `model` or `predictions`');
  assert.deepEqual(span(p), [3, 4, 3, 17]);
});

test('missing required properties: the parent key, an array item, the root brace', () => {
  const text = lines('{', '  "data": { "seed": 1 },', '  "cache": "c"', '}');
  const { problems } = parseConfig(text, FILE);
  const members = problems.find((p) => p.message === '(root): missing required property `members`');
  assert.ok(members);
  assert.deepEqual(span(members), [0, 0, 0, 1]);
  const source = problems.find((p) => p.message === 'data: missing required property `source`');
  assert.ok(source);
  assert.deepEqual(span(source), [1, 2, 1, 8]); // the "data" key
  const layer = parseConfig('{ "data": { "source": "iris" }, "members": [ { "id": "a", "layers": [ { "type": "dense" } ] } ] }', FILE).problems;
  const units = only(layer, 'schema');
  assert.equal(units.message, 'members[0].layers[0]: missing required property `units`');
  assert.deepEqual([units.range.start.character, units.range.end.character], [70, 89]); // the layer object
});

test('empty members and prediction-only ensembles without labels', () => {
  const empty = only(parseConfig('{ "data": { "source": "iris" }, "members": [] }', FILE).problems, 'empty-members');
  assert.equal(empty.message, 'members: must not be empty');
  assert.deepEqual(span(empty), [0, 43, 0, 45]);
  const noLabels = only(parseConfig('{ "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE).problems, 'no-labels');
  assert.match(noLabels.message, /^data: a prediction-only ensemble needs labels/);
  assert.deepEqual(span(noLabels), [0, 0, 0, 1]);
  const ok = parseConfig('{ "data": { "labels": "y.csv" }, "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.config?.data.labels, '/proj/cfg/y.csv');
});

test('every problem is reported, sorted by position', () => {
  const text = lines(
    '{',
    '  "data": { "source": "mnist", "train": 9000, "test": 2000 },',
    '  "defaults": { "epoch": 3 },',
    '  "members": [ { "id": "a", "model": "m.pt" }, { "id": "a", "predictions": "p.csv" } ],',
    '  "combine": "vote"',
    '}',
  );
  const { problems } = parseConfig(text, FILE);
  assert.deepEqual(problems.map((p) => p.code), ['dataset-size', 'unknown-property', 'bad-extension', 'duplicate-id']);
  assert.equal(problems[1].fix?.newText, '"epochs"');
});

test('features: more than the data has, and CSV column checks with a fix', () => {
  const csv = 'sepal,petal,target\n1,2,0\n3,4,1\n';
  const host = fakeHost([], { [`${DIR}/train.csv`]: csv });
  const text = lines(
    '{ "data": { "train": "train.csv", "label": "targt" },',
    '  "members": [ { "id": "m", "features": 3, "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] } ] }',
  );
  const { problems } = parseConfig(text, FILE, host);
  const col = only(problems, 'unknown-column');
  assert.equal(col.message, 'data.label: no column `targt` in the training file; did you mean `target`?');
  assert.deepEqual(span(col), [0, 43, 0, 50]);
  assert.equal(col.fix?.newText, '"target"');
  // without a label column all 3 columns count as features: 3 is allowed; with the label fixed only 2 are
  const fixed = parseConfig(text.replace('"targt"', '"target"'), FILE, host).problems;
  const f = only(fixed, 'features');
  assert.equal(f.message, 'members[0].features: asks for 3 features but the data has 2');
  assert.deepEqual(span(f), [1, 40, 1, 41]);
});

test('the same written id twice is a duplicate even when one entry is repeated', () => {
  const text = lines(
    '{ "data": { "source": "iris" }, "members": [',
    '  { "id": "m", "repeat": 2, "layers": [ { "type": "dense", "units": 3, "activation": "softmax" } ] },',
    '  { "id": "m", "predictions": "p.csv" } ] }',
  );
  const p = only(parseConfig(text, FILE).problems, 'duplicate-id');
  assert.equal(p.message, 'members[1].id: duplicate member id `m` (first used by members[0])');
  assert.deepEqual(span(p), [2, 10, 2, 13]);
});

test('regression: vote is an error; an attack needs a classifier and an attackable member', () => {
  const text = lines(
    '{ "data": { "source": "regression" },',
    '  "members": [ { "id": "p", "predictions": "p.csv" } ], "combine": "vote",',
    '  "attack": { } }',
  );
  const { problems } = parseConfig(text, FILE);
  const vote = only(problems, 'combine-task');
  assert.deepEqual(span(vote), [1, 67, 1, 73]);
  assert.equal(only(problems, 'attack').message, 'attack: attacks need a classification task');
  const preds = parseConfig('{ "data": { "source": "iris" }, "members": [ { "id": "p", "predictions": "p.csv" } ], "attack": {} }', FILE).problems;
  assert.match(only(preds, 'attack').message, /^attack: attacks need gradients/);
});

test('synthetic sets: train + test must fit in samples', () => {
  const p = only(parseConfig('{ "data": { "source": "moons", "samples": 100, "test": 50, "train": 60 }, "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE).problems, 'dataset-size');
  assert.equal(p.message, 'data.train: train + test = 60 + 50 = 110 but samples is 100');
});

test('task mismatch; vote follows the (wrong) explicit task; targeted attack without a class', () => {
  const text = lines(
    '{ "task": "classification", "data": { "source": "regression" },',
    '  "members": [ { "id": "p", "model": "m.onnx" } ], "combine": "vote",',
    '  "attack": { "targeted": true } }',
  );
  const { problems } = parseConfig(text, FILE);
  assert.deepEqual(span(only(problems, 'task-mismatch')), [0, 10, 0, 26]);
  assert.equal(only(problems, 'attack').message, 'attack.targeted: a targeted attack needs `targetClass`');
  assert.equal(errors(problems).length, 2); // vote is fine: the (wrong) task is classification
});

test('"data": "mnist" is offered the object form as a fix', () => {
  const p = parseConfig('{ "data": "mnist", "members": [ { "id": "p", "predictions": "p.csv" } ] }', FILE).problems;
  assert.equal(p.length, 1);
  assert.equal(p[0].message, 'data: expected an object, got "mnist"');
  assert.deepEqual(span(p[0]), [0, 10, 0, 17]);
  assert.equal(p[0].fix?.newText, '{ "source": "mnist" }');
});

test('a misspelled layer field and enum value each get their own fix', () => {
  const text = '{ "data": { "source": "iris" }, "members": [ { "id": "a", "layers": [ { "type": "dense", "unit": 3, "activation": "Softmax" } ] } ] }';
  const fixes = parseConfig(text, FILE).problems.filter((p) => p.fix).map((p) => [p.path.join('.'), p.fix?.newText]);
  assert.deepEqual(fixes, [['members.0.layers.0.unit', '"units"'], ['members.0.layers.0.activation', '"softmax"']]);
});
