// Every shipped example config parses without errors against the real files beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type ConfigHost } from '../../../src/core/config/parse';

const EXAMPLES = join(__dirname, '../../../examples');
const fsHost: ConfigHost = {
  exists: existsSync,
  readText: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
};

const files = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((f) => f.endsWith('.ensemble.json')) : [];

for (const name of files) {
  test(`examples/${name} parses without errors`, () => {
    const file = join(EXAMPLES, name);
    const { config, problems } = parseConfig(readFileSync(file, 'utf8'), file, fsHost);
    const errors = problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.message}`), []);
    assert.ok(config && config.members.length > 0);
    for (const m of config.members) assert.equal(m.id.includes('#'), m.repeatCount > 1 || m.id !== m.groupId);
  });
}
