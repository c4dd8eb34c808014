// Minimal text edits on a JSONC document that keep the user's formatting and comments elsewhere
// (jsonc-parser's `modify` re-formats the object it touches). Pure (no vscode).
import { findNodeAtLocation, parseTree, type JSONPath, type Node } from 'jsonc-parser';

export interface TextEdit {
  offset: number;
  length: number;
  content: string;
}

/** Removes an element of an array or object (with its separator), leaving its neighbours where they were. */
function removeChild(node: Node): TextEdit {
  const siblings = node.parent?.children ?? [node];
  const i = siblings.indexOf(node);
  if (i < siblings.length - 1) {
    // up to the next sibling: its own indentation moves into place
    const next = siblings[i + 1];
    return { offset: node.offset, length: next.offset - node.offset, content: '' };
  }
  if (i > 0) {
    // the last one: from the end of the previous sibling (takes the comma before it)
    const prev = siblings[i - 1];
    const start = prev.offset + prev.length;
    return { offset: start, length: node.offset + node.length - start, content: '' };
  }
  return { offset: node.offset, length: node.length, content: '' };
}

/** The edit that removes the array item at `path` (e.g. ['members', 2]). */
export function removeItem(text: string, path: JSONPath): TextEdit | undefined {
  const root = parseTree(text);
  const node = root && findNodeAtLocation(root, path);
  if (!node || node.parent?.type !== 'array') return undefined;
  return removeChild(node);
}

/** The edit that removes the property at `path` (e.g. ['members', 1, 'repeat']). */
export function removeProperty(text: string, path: JSONPath): TextEdit | undefined {
  const root = parseTree(text);
  const value = root && findNodeAtLocation(root, path);
  const prop = value?.parent;
  if (!prop || prop.type !== 'property') return undefined;
  return removeChild(prop);
}

/** The edit that replaces the value at `path` with a JSON value. */
export function setValue(text: string, path: JSONPath, value: unknown): TextEdit | undefined {
  const root = parseTree(text);
  const node = root && findNodeAtLocation(root, path);
  if (!node) return undefined;
  return { offset: node.offset, length: node.length, content: JSON.stringify(value) };
}

/** Applies edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

/** Line/character of an offset, given the text's line start offsets. */
function positionAt(lineStarts: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo] };
}

/** The ranges of the values of top-level properties (e.g. `data`, `defaults`), where present. */
export function topLevelValueRanges(text: string, names: readonly string[]): { start: { line: number; character: number }; end: { line: number; character: number } }[] {
  const root = parseTree(text);
  if (!root || root.type !== 'object') return [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const out: { start: { line: number; character: number }; end: { line: number; character: number } }[] = [];
  for (const prop of root.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (!key || !value || !names.includes(String(key.value))) continue;
    out.push({ start: positionAt(lineStarts, value.offset), end: positionAt(lineStarts, value.offset + value.length) });
  }
  return out;
}
