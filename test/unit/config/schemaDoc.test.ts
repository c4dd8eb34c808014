// The schema agrees with types.ts, documents every field, and docs/config.md is generated from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensembleSchema, resolveSchema, schemaAt, schemaEnum, type JsonSchema } from '../../../src/core/config/schema';
import { LAYER_TYPES } from '../../../src/core/config/layers';
import type { Activation, BuiltinDataset, LayerSpec, Optimizer } from '../../../src/core/config/types';

const ROOT = join(__dirname, '../../..');

/** Every (pointer, property name, property schema) in the schema. */
function allProperties(): [string, string, JsonSchema][] {
  const out: [string, string, JsonSchema][] = [];
  const visit = (pointer: string, s: JsonSchema) => {
    for (const [k, v] of Object.entries(s.properties ?? {})) out.push([pointer, k, v]);
  };
  visit('#', ensembleSchema);
  for (const [name, d] of Object.entries(ensembleSchema.definitions ?? {})) {
    visit(`#/definitions/${name}`, d);
    (d.oneOf ?? []).forEach((b, i) => visit(`#/definitions/${name}/oneOf/${i}`, b));
  }
  return out;
}

test('every $ref resolves and every property has a description', () => {
  for (const [pointer, name, raw] of allProperties()) {
    const s = resolveSchema(raw);
    assert.ok(s.description, `${pointer}.${name} has no description`);
  }
  const refs = JSON.stringify(ensembleSchema).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const r of refs) assert.doesNotThrow(() => schemaAt(r.slice(8, -1)), r);
});

test('schema enums match the unions of types.ts', () => {
  const datasets: Record<BuiltinDataset, true> = { mnist: true, iris: true, moons: true, circles: true, spirals: true, blobs: true, xor: true, regression: true };
  assert.deepEqual(schemaEnum('#/definitions/builtinData', 'source').sort(), Object.keys(datasets).sort());
  const optimizers: Record<Optimizer, true> = { adam: true, sgd: true, rmsprop: true, adagrad: true, momentum: true };
  assert.deepEqual(schemaEnum('#/definitions/defaults', 'optimizer').sort(), Object.keys(optimizers).sort());
  const acts: Record<Activation, true> = { linear: true, relu: true, sigmoid: true, tanh: true, softmax: true, elu: true, selu: true, gelu: true, softplus: true, leakyRelu: true };
  assert.deepEqual((schemaAt('#/definitions/activation').enum as string[]).slice().sort(), Object.keys(acts).sort());
  const layers: Record<LayerSpec['type'], true> = { dense: true, conv2d: true, maxPooling2d: true, averagePooling2d: true, flatten: true, dropout: true, batchNormalization: true, activation: true, reshape: true };
  assert.deepEqual(LAYER_TYPES.slice().sort(), Object.keys(layers).sort());
});

test('docs/config.md mentions every schema property and its tables are up to date', () => {
  const doc = readFileSync(join(ROOT, 'docs/config.md'), 'utf8');
  for (const [pointer, name] of allProperties()) assert.ok(doc.includes(`\`${name}\``), `docs/config.md lacks \`${name}\` (${pointer})`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/genConfigDoc.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
