// The one error type of dataset loading and parsing. Positions are 1-based so a front end can print
// `file:line:col: message` (the form editors and terminals turn into links).

/** Where a data problem is; every field is optional because not every source has lines (e.g. .npy). */
export interface DataLocation {
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based character column (UTF-16 units) of the offending field's first character. */
  column?: number;
}

/**
 * A problem with a data file or a data spec. `message` is the bare description
 * (e.g. `'abc' is not a number in column 'sepal_width'`); `toString()` and `where` add the location.
 */
export class DataError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(message: string, location: DataLocation = {}) {
    super(message);
    this.name = 'DataError';
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
  }

  /** `file:line:col`, `file:line`, `file` or '' depending on what is known. */
  get where(): string {
    if (!this.file) return '';
    if (this.line === undefined) return this.file;
    return this.column === undefined ? `${this.file}:${this.line}` : `${this.file}:${this.line}:${this.column}`;
  }

  override toString(): string {
    const w = this.where;
    return w ? `${w}: ${this.message}` : this.message;
  }
}

/** 1-based line and column of a 0-based offset in `text` (for parsers that work on offsets). */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
