// Offsets <-> zero-based line/character positions, for problems and editor features.
// Lines end at \n, \r\n or \r (as in VS Code); characters are UTF-16 code units (JS string indices).
import type { SourcePosition, SourceRange } from './types';

/** The offsets where each line of `text` starts (line 0 starts at 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Converts offsets of one text to positions; build once per text, then query in O(log lines). */
export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = lineStarts(text);
  }

  /** The position of `offset` (clamped to [0, text.length]). */
  position(offset: number): SourcePosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo], offset: o };
  }

  /** The range [offset, offset + length). */
  range(offset: number, length: number): SourceRange {
    return { start: this.position(offset), end: this.position(offset + Math.max(0, length)) };
  }

  /** The range of anything with jsonc-parser's `offset` and `length` (a node, a parse error). */
  rangeOf(node: { offset: number; length: number }): SourceRange {
    return this.range(node.offset, node.length);
  }

  /** The offset of a zero-based line/character (clamped to the line). */
  offsetAt(line: number, character: number): number {
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    const end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return Math.min(this.starts[line] + Math.max(0, character), end);
  }
}

/** One-shot conversion of an offset in `text` (builds a LineIndex; prefer LineIndex for many calls). */
export function positionAt(text: string, offset: number): SourcePosition {
  return new LineIndex(text).position(offset);
}

/** One-shot conversion of [offset, offset + length) in `text`. */
export function rangeAt(text: string, offset: number, length: number): SourceRange {
  return new LineIndex(text).range(offset, length);
}
