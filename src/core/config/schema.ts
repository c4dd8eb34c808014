// The config's JSON Schema (schemas/ensemble.schema.json) as typed data: the single source of truth for
// field names, enums, bounds and defaults. The validator and the model builder both read it from here.
import schemaJson from '../../../schemas/ensemble.schema.json';

/** The subset of draft-07 (plus VS Code's annotations) that the config schema uses. */
export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  /** VS Code extension: the message for a `pattern` mismatch. */
  patternErrorMessage?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  title?: string;
  description?: string;
  markdownDescription?: string;
  definitions?: Record<string, JsonSchema>;
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** The whole config schema. */
export const ensembleSchema: JsonSchema = schemaJson as unknown as JsonSchema;

/** The schema at a local JSON pointer such as `#/definitions/defaults` (throws on a bad pointer: a bug). */
export function schemaAt(pointer: string, root: JsonSchema = ensembleSchema): JsonSchema {
  if (!pointer.startsWith('#')) throw new Error(`only local $ref are supported: ${pointer}`);
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/').filter((p) => p.length > 0)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof cur !== 'object' || cur === null || !(key in cur)) throw new Error(`bad schema pointer ${pointer}`);
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur as JsonSchema;
}

/**
 * Follows `$ref` chains. Sibling keywords of a `$ref` (description, default) are kept and win over the
 * target's, as VS Code's JSON service does.
 */
export function resolveSchema(s: JsonSchema, root: JsonSchema = ensembleSchema): JsonSchema {
  let cur = s;
  for (let guard = 0; cur.$ref !== undefined && guard < 32; guard++) {
    const { $ref, ...siblings } = cur;
    cur = { ...schemaAt($ref, root), ...siblings };
  }
  return cur;
}

/** The resolved schema of property `name` of the object schema at `pointer`. */
export function propertySchema(pointer: string, name: string): JsonSchema | undefined {
  const props = resolveSchema(schemaAt(pointer)).properties;
  const p = props?.[name];
  return p ? resolveSchema(p) : undefined;
}

/** The `default` of property `name` of the object schema at `pointer` (throws if the schema has none). */
export function schemaDefault<T>(pointer: string, name: string): T {
  const p = propertySchema(pointer, name);
  if (p === undefined || p.default === undefined) throw new Error(`schema has no default for ${pointer}.${name}`);
  return p.default as T;
}

/** The string enum of property `name` of the object schema at `pointer`. */
export function schemaEnum(pointer: string, name: string): string[] {
  const p = propertySchema(pointer, name);
  return (p?.enum ?? []).filter((v): v is string => typeof v === 'string');
}
