// Shared state of one parseConfig run: the tree, line index, host and the problems found so far.
import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import type { JsonPath, Problem } from './types';
import type { ConfigHost } from './parse';
import type { LineIndex } from './ranges';
import { formatPath, type Span } from './schemaValidator';

export interface ParseContext {
  file: string;
  /** Folder of the config: relative paths resolve against it. */
  dir: string;
  lines: LineIndex;
  root: Node;
  host?: ConfigHost;
  maxModelBytes: number;
  problems: Problem[];
}

/** Records a problem at `at` (a node or span); the message is prefixed with the formatted path. */
export function report(
  ctx: ParseContext,
  severity: Problem['severity'],
  code: string,
  path: JsonPath,
  at: Span,
  message: string,
  fix?: { at: Span; newText: string; title: string },
): void {
  const p: Problem = { severity, code, path, file: ctx.file, range: ctx.lines.rangeOf(at), message: `${formatPath(path)}: ${message}` };
  if (fix) p.fix = { range: ctx.lines.rangeOf(fix.at), newText: fix.newText, title: fix.title };
  ctx.problems.push(p);
}

/** The value node at `path`, if present. */
export function nodeAt(ctx: ParseContext, path: JsonPath): Node | undefined {
  return findNodeAtLocation(ctx.root, path);
}

/** The key node of the property at `path` (e.g. the `"layers"` of a member), if present. */
export function keyAt(ctx: ParseContext, path: JsonPath): Node | undefined {
  const value = nodeAt(ctx, path);
  return value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
}

/** The plain value at `path` (undefined when absent). */
export function valueAt(ctx: ParseContext, path: JsonPath): unknown {
  const n = nodeAt(ctx, path);
  return n ? getNodeValue(n) : undefined;
}

/** Where to report about a missing field of the object at `path`: its key, else the object, else the root's brace. */
export function ownerOf(ctx: ParseContext, path: JsonPath): Span {
  if (path.length === 0) return { offset: ctx.root.offset, length: 1 };
  return keyAt(ctx, path) ?? nodeAt(ctx, path) ?? { offset: ctx.root.offset, length: 1 };
}

export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isInt = (v: unknown): v is number => isNum(v) && Number.isInteger(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
