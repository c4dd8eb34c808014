// Generates the field tables of docs/config.md from schemas/ensemble.schema.json, between the
// `<!-- generated:begin -->` and `<!-- generated:end -->` markers (the rest of the doc is hand-written).
// Usage: node scripts/genConfigDoc.mjs          rewrite docs/config.md
//        node scripts/genConfigDoc.mjs --check  exit 1 if docs/config.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'schemas/ensemble.schema.json');
const docPath = join(root, 'docs/config.md');
const BEGIN = '<!-- generated:begin (node scripts/genConfigDoc.mjs) -->';
const END = '<!-- generated:end -->';

const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));

function at(pointer) {
  return pointer.slice(2).split('/').filter(Boolean).reduce((o, k) => o[k], schema);
}
function deref(s) {
  let cur = s;
  while (cur && cur.$ref) {
    const { $ref, ...rest } = cur;
    cur = { ...at($ref), ...rest };
  }
  return cur;
}

const code = (v) => '`' + JSON.stringify(v) + '`';

function bounds(s) {
  const parts = [];
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) parts.push(`<= ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${s.exclusiveMaximum}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function typeOf(raw) {
  const s = deref(raw);
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return s.enum.map(code).join(' | ');
  if (s.anyOf || s.oneOf) return [...new Set((s.anyOf ?? s.oneOf).map(typeOf))].join(' or ');
  if (s.type === 'array') {
    const item = s.items ? typeOf(s.items) : 'any';
    if (s.minItems === 2 && s.maxItems === 2) return `[${item}, ${item}]`;
    return `array of ${item}${s.minItems ? ` (at least ${s.minItems})` : ''}`;
  }
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    return `object of ${typeOf(s.additionalProperties)}`;
  }
  if (s.pattern) return `${s.type} (no \`#\`)`;
  return `${s.type ?? 'any'}${bounds(s)}`;
}

function cell(text) {
  return String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(pointer) {
  const s = deref(at(pointer));
  const required = new Set(s.required ?? []);
  const rows = ['| field | type | default | meaning |', '|---|---|---|---|'];
  for (const [name, raw] of Object.entries(s.properties ?? {})) {
    const p = deref(raw);
    const dflt = required.has(name) ? '**required**' : p.default !== undefined ? code(p.default) : '';
    rows.push(`| \`${name}\` | ${cell(typeOf(p))} | ${dflt} | ${cell(p.markdownDescription ?? p.description)} |`);
  }
  return rows.join('\n');
}

const layerTypes = at('#/definitions/layer').oneOf.map((r) => r.$ref);
const combineObject = '#/definitions/combine/oneOf/1';

const sections = [
  ['Top level', '#'],
  ['`data`: a bundled dataset', '#/definitions/builtinData'],
  ['`data`: your own files', '#/definitions/fileData'],
  ['`data`: labels only (prediction-only ensembles)', '#/definitions/labelsData'],
  ['`defaults` (training fields; members may override each)', '#/definitions/defaults'],
  ['`members[]`', '#/definitions/member'],
  ...layerTypes.map((p) => [`Layer \`${deref(at(p)).properties.type.const}\``, p]),
  ['`combine` (object form)', combineObject],
  ['`attack`', '#/definitions/attack'],
  ['`analysis`', '#/definitions/analysis'],
  ['`analysis.selection`', '#/definitions/analysis/properties/selection'],
  ['`analysis.stacking`', '#/definitions/analysis/properties/stacking'],
];

export function render() {
  const out = [BEGIN, ''];
  for (const [title, pointer] of sections) {
    const desc = deref(at(pointer)).description;
    out.push(`### ${title}`, '');
    if (desc && pointer !== '#') out.push(desc, '');
    out.push(table(pointer), '');
  }
  out.push(END);
  return out.join('\n');
}

const doc = readFileSync(docPath, 'utf8');
const i = doc.indexOf(BEGIN);
const j = doc.indexOf(END);
if (i < 0 || j < i) {
  console.error(`docs/config.md: markers not found (${BEGIN} ... ${END})`);
  process.exit(1);
}
const next = doc.slice(0, i) + render() + doc.slice(j + END.length);
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('docs/config.md is out of date: run node scripts/genConfigDoc.mjs');
    process.exit(1);
  }
} else if (next !== doc) {
  writeFileSync(docPath, next);
  console.log('docs/config.md updated');
}
