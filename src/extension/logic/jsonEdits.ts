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
