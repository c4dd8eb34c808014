// Maps positions and ranges through text edits, so annotations, hovers and CodeLens computed from the
// last parse stay on the right lines until the next parse (which runs when edits go idle).
// Pure (no vscode): positions are {line, character} in UTF-16 units, like VS Code's.

export interface Pos {
  line: number;
  character: number;
}

export interface Rng {
  start: Pos;
  end: Pos;
}

/** One replacement: `range` (in the text before the edit) replaced by `text`. Same shape as VS Code's content change. */
export interface TextChange {
  range: Rng;
  text: string;
}

export function comparePos(a: Pos, b: Pos): number {
  return a.line - b.line || a.character - b.character;
}

/** Where the inserted text of a change ends. */
function insertedEnd(change: TextChange): Pos {
  const lines = change.text.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1];
  return lines.length === 1
    ? { line: change.range.start.line, character: change.range.start.character + last.length }
    : { line: change.range.start.line + lines.length - 1, character: last.length };
}

/**
 * Maps a position through one change. Positions before the change stay; positions after it move by
 * the change's line and column delta. A range's start (`side` 'start') moves past text inserted
 * exactly at it and goes to the start of a replacement it is inside; a range's end (`side` 'end')
 * stays before text inserted exactly at it and goes to the end of a replacement it is inside.
 */
export function mapPos(p: Pos, change: TextChange, side: 'start' | 'end' = 'start'): Pos {
  const { start, end } = change.range;
  const newEnd = insertedEnd(change);
  const shifted = (): Pos =>
    p.line === end.line
      ? { line: newEnd.line, character: newEnd.character + (p.character - end.character) }
      : { line: p.line + (newEnd.line - end.line), character: p.character };
  const cs = comparePos(p, start);
  const ce = comparePos(p, end);
  if (cs < 0) return p;
  if (ce > 0) return shifted();
  if (comparePos(start, end) === 0) return side === 'start' ? shifted() : p; // insertion exactly at p
  if (ce === 0) return shifted();
  if (cs === 0) return p;
  return side === 'start' ? start : newEnd; // inside the replaced text
}

/** Maps a range through one change; a replacement overlapping it keeps the part of the range that survives. */
export function mapRange(r: Rng, change: TextChange): Rng {
  const start = mapPos(r.start, change, 'start');
  const end = mapPos(r.end, change, 'end');
  return { start, end: comparePos(end, start) < 0 ? start : end };
}

/** Maps a range through changes applied in order (VS Code reports the changes of one event in an order that can be applied one after another). */
export function mapRangeAll(r: Rng, changes: readonly TextChange[]): Rng {
  return changes.reduce((acc, c) => mapRange(acc, c), r);
}

/** True when a change replaces or inserts text strictly inside the range (touching its outer edge does not count). */
export function touches(r: Rng, change: TextChange): boolean {
  const { start, end } = change.range;
  const empty = comparePos(start, end) === 0;
  if (empty) return comparePos(start, r.start) > 0 && comparePos(start, r.end) < 0;
  return comparePos(start, r.end) < 0 && comparePos(end, r.start) > 0;
}
