// A validator for the subset of JSON Schema draft-07 the config schema uses, run on jsonc-parser's tree so
// every violation keeps the offsets of the offending node: $ref, type, enum, const, minimum, maximum,
// exclusiveMinimum/Maximum, minLength, pattern (+ patternErrorMessage), required, properties,
// additionalProperties (false or a schema), items, minItems, maxItems, allOf, anyOf, oneOf.
import type { Node } from 'jsonc-parser';
import type { JsonPath } from './types';
import { resolveSchema, type JsonSchema, type JsonType } from './schema';
import { closest } from './suggest';

/** A span of the text (what jsonc-parser nodes have). */
export interface Span {
  offset: number;
  length: number;
}

/** One schema violation. */
export interface SchemaError {
  path: JsonPath;
  /** The node to underline: the value for a wrong value, the key for an unknown property. */
  at: Span;
  message: string;
  /** The draft-07 keyword that failed ('type', 'enum', 'required', 'additionalProperties', ...). */
  keyword: string;
  /** A replacement for the text at `fix.at` (misspelled names and enum values). */
  fix?: { at: Span; newText: string; title: string };
}

/** `members[1].layers[2].units`; keys that are not identifiers are quoted: `weights["mlp#1"]`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out === '' ? '(root)' : out;
}

const TYPE_NAMES: Record<JsonType, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function typeMatches(node: Node, type: JsonType | JsonType[] | undefined): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) =>
    t === 'integer' ? node.type === 'number' && Number.isInteger(node.value) : node.type === t,
  );
}

function describe(node: Node): string {
  if (node.type === 'object') return 'an object';
  if (node.type === 'array') return 'an array';
  const s = JSON.stringify(node.value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** What the containing object's key node is, for "missing property" errors (or the object itself). */
function ownerSpan(node: Node): Span {
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0]) return parent.children[0];
  if (!parent) return { offset: node.offset, length: 1 }; // the root: its opening brace
  return node;
}

/** Validates `node` against `schema`; returns every violation (empty when valid). */
export function validateNode(node: Node, schema: JsonSchema, path: JsonPath = []): SchemaError[] {
  const s = resolveSchema(schema);
  const errs: SchemaError[] = [];
  const where = formatPath(path);
  for (const sub of s.allOf ?? []) errs.push(...validateNode(node, sub, path));
  if (s.oneOf) errs.push(...validateAlternatives(node, s.oneOf, path, true));
  if (s.anyOf) errs.push(...validateAlternatives(node, s.anyOf, path, false));
  if (!typeMatches(node, s.type)) {
    const types = Array.isArray(s.type) ? s.type : [s.type ?? 'null'];
    const expected = types.map((t) => TYPE_NAMES[t]).join(' or ');
    return [...errs, { path, at: node, keyword: 'type', message: `${where}: expected ${expected}, got ${describe(node)}` }];
  }
  if (s.const !== undefined && node.value !== s.const) {
    errs.push({ path, at: node, keyword: 'const', message: `${where}: expected ${JSON.stringify(s.const)}, got ${describe(node)}` });
  }
  if (s.enum && !s.enum.includes(node.value)) errs.push(enumError(node, s.enum, path));
  if (node.type === 'number') errs.push(...checkNumber(node, s, path));
  if (node.type === 'string') errs.push(...checkString(node, s, path));
  if (node.type === 'object') errs.push(...checkObject(node, s, path));
  if (node.type === 'array') errs.push(...checkArray(node, s, path));
  return errs;
}

function enumError(node: Node, values: unknown[], path: JsonPath): SchemaError {
  const shown = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  const strings = values.filter((v): v is string => typeof v === 'string');
  const guess = typeof node.value === 'string' ? closest(node.value, strings) : undefined;
  const err: SchemaError = {
    path,
    at: node,
    keyword: 'enum',
    message: `${formatPath(path)}: unknown value ${describe(node)} (expected one of: ${shown})`,
  };
  if (guess !== undefined) {
    err.message += `; did you mean \`${guess}\`?`;
    err.fix = { at: node, newText: JSON.stringify(guess), title: `Change to "${guess}"` };
  }
  return err;
}

function checkNumber(node: Node, s: JsonSchema, path: JsonPath): SchemaError[] {
  const v = node.value as number;
  const what = s.type === 'integer' ? 'an integer' : 'a number';
  const fail = (cond: string): SchemaError => ({
    path,
    at: node,
    keyword: 'range',
    message: `${formatPath(path)}: expected ${what} ${cond}, got ${describe(node)}`,
  });
  const out: SchemaError[] = [];
  if (s.minimum !== undefined && v < s.minimum) out.push(fail(`>= ${s.minimum}`));
  if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) out.push(fail(`> ${s.exclusiveMinimum}`));
  if (s.maximum !== undefined && v > s.maximum) out.push(fail(`<= ${s.maximum}`));
  if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) out.push(fail(`< ${s.exclusiveMaximum}`));
  return out;
}

function checkString(node: Node, s: JsonSchema, path: JsonPath): SchemaError[] {
  const v = node.value as string;
  const out: SchemaError[] = [];
  if (s.minLength !== undefined && v.length < s.minLength) {
    out.push({ path, at: node, keyword: 'minLength', message: `${formatPath(path)}: must not be empty` });
  }
  if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) {
    const why = s.patternErrorMessage ?? `must match ${s.pattern}`;
    out.push({ path, at: node, keyword: 'pattern', message: `${formatPath(path)}: ${describe(node)} ${why}` });
  }
  return out;
}

function checkObject(node: Node, s: JsonSchema, path: JsonPath): SchemaError[] {
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  const known = Object.keys(s.properties ?? {});
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    const key = keyNode.value;
    seen.add(key);
    const sub = s.properties?.[key];
    if (sub) {
      if (valueNode) out.push(...validateNode(valueNode, sub, [...path, key]));
    } else if (s.additionalProperties === false) {
      out.push(unknownProperty(keyNode, key, known, [...path, key]));
    } else if (typeof s.additionalProperties === 'object' && valueNode) {
      out.push(...validateNode(valueNode, s.additionalProperties, [...path, key]));
    }
  }
  for (const name of s.required ?? []) {
    if (!seen.has(name)) {
      out.push({ path: [...path, name], at: ownerSpan(node), keyword: 'required', message: `${formatPath(path)}: missing required property \`${name}\`` });
    }
  }
  return out;
}

function unknownProperty(keyNode: Node, key: string, known: string[], path: JsonPath): SchemaError {
  const guess = closest(key, known);
  const err: SchemaError = { path, at: keyNode, keyword: 'additionalProperties', message: `${formatPath(path)}: unknown property \`${key}\`` };
  if (guess !== undefined) {
    err.message += `; did you mean \`${guess}\`?`;
    err.fix = { at: keyNode, newText: JSON.stringify(guess), title: `Change to "${guess}"` };
  } else if (known.length > 0) {
    err.message += ` (allowed: ${known.join(', ')})`;
  }
  return err;
}

function checkArray(node: Node, s: JsonSchema, path: JsonPath): SchemaError[] {
  const out: SchemaError[] = [];
  const items = node.children ?? [];
  if (s.minItems !== undefined && items.length < s.minItems) {
    const msg = s.minItems === 1 ? 'must not be empty' : `needs at least ${s.minItems} items, has ${items.length}`;
    out.push({ path, at: node, keyword: 'minItems', message: `${formatPath(path)}: ${msg}` });
  }
  if (s.maxItems !== undefined && items.length > s.maxItems) {
    out.push({ path, at: node, keyword: 'maxItems', message: `${formatPath(path)}: at most ${s.maxItems} items, has ${items.length}` });
  }
  if (s.items) items.forEach((item, i) => out.push(...validateNode(item, s.items as JsonSchema, [...path, i])));
  return out;
}

/** A property every branch pins with `const` (e.g. a layer's `type`): it picks the branch. */
function discriminator(branches: JsonSchema[]): string | undefined {
  const first = branches[0]?.properties ?? {};
  return Object.keys(first).find((k) => branches.every((b) => b.properties?.[k]?.const !== undefined));
}

/**
 * anyOf/oneOf. When a discriminator property exists, its value chooses the branch (and a wrong value is
 * reported with a suggestion). Otherwise the branch of the right type with the fewest errors is reported,
 * as VS Code does, rather than a useless "does not match any alternative".
 */
function validateAlternatives(node: Node, alts: JsonSchema[], path: JsonPath, exclusive: boolean): SchemaError[] {
  const branches = alts.map((a) => resolveSchema(a));
  const disc = node.type === 'object' ? discriminator(branches) : undefined;
  if (disc !== undefined) {
    const prop = node.children?.find((p) => p.children?.[0]?.value === disc);
    const valueNode = prop?.children?.[1];
    if (!valueNode) {
      return [{ path: [...path, disc], at: ownerSpan(node), keyword: 'required', message: `${formatPath(path)}: missing required property \`${disc}\`` }];
    }
    const chosen = branches.find((b) => b.properties?.[disc]?.const === valueNode.value);
    if (chosen) return validateNode(node, chosen, path);
    return [enumError(valueNode, branches.map((b) => b.properties?.[disc]?.const), [...path, disc])];
  }
  const typed = branches.filter((b) => typeMatches(node, b.type));
  if (typed.length === 0) {
    const names = [...new Set(branches.flatMap((b) => (Array.isArray(b.type) ? b.type : b.type ? [b.type] : [])))];
    return [{ path, at: node, keyword: 'type', message: `${formatPath(path)}: expected ${names.map((t) => TYPE_NAMES[t]).join(' or ')}, got ${describe(node)}` }];
  }
  const results = typed.map((b) => validateNode(node, b, path));
  const passing = results.filter((r) => r.length === 0).length;
  if (passing === 1 || (passing > 1 && !exclusive)) return [];
  if (passing > 1) return [{ path, at: node, keyword: 'oneOf', message: `${formatPath(path)}: matches more than one of the allowed forms` }];
  return results.reduce((best, r) => (r.length < best.length ? r : best));
}
