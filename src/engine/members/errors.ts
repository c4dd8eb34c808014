// Errors of members that are loaded rather than trained (saved models, prediction files).
// Same shape as core's DataError: `message` is the bare description; `file`, `line`, `column` say where
// (1-based), and `where` / `toString()` give `file:line:col` / `file:line:col: message` for the CLI.
import type { SourceFile } from './sourceFile';

/** A member's file could not be loaded or does not fit the dataset. */
export class MemberLoadError extends Error {
  override readonly name = 'MemberLoadError';

  /**
   * @param message The bare description, e.g. `1999 rows, but the test split has 2000 samples`.
   * @param file Absolute path of the offending file (editors open it).
   * @param line 1-based line, when the problem is at one place in a text file.
   * @param column 1-based column (UTF-16 code units), with `line`.
   * @param displayFile The file as named in `where` (relative to the config's folder when inside it).
   */
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    readonly displayFile: string = file,
  ) {
    super(message);
  }

  /** `file`, `file:line` or `file:line:col`, with the display name. */
  get where(): string {
    if (this.line === undefined) return this.displayFile;
    return this.column === undefined ? `${this.displayFile}:${this.line}` : `${this.displayFile}:${this.line}:${this.column}`;
  }

  /** `oof/lgbm.csv: 1999 rows, but the test split has 2000 samples`. */
  override toString(): string {
    return `${this.where}: ${this.message}`;
  }
}

/** A MemberLoadError about `src`. */
export function loadError(src: SourceFile, message: string, line?: number, column?: number): MemberLoadError {
  return new MemberLoadError(message, src.path, line, column, src.display);
}

/** Describes an unknown thrown value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
