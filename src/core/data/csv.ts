// RFC 4180 CSV (and TSV with `delimiter: '\t'`): comma-separated fields, records ended by CRLF or LF, fields optionally in double
// quotes (which may then hold commas, quotes doubled as "" and line breaks). A UTF-8 BOM is dropped,
// empty lines (no characters at all) are skipped, so a trailing newline is fine. Positions in errors
// are 1-based lines and character columns of the file as written.
import { DataError, lineColumnAt, type DataLocation } from './errors';

export interface CsvTable {
  file: string;
  /** The first record. */
  header: string[];
  /** The records after the header, each with header.length fields. */
  rows: string[][];
  /** Location of field `col` (0-based) of row `row` (0-based, header excluded), for error messages. */
  locate(row: number, col: number): DataLocation;
  /** Location of header field `col`. */
  locateHeader(col: number): DataLocation;
}

/** Splits CSV text into records of raw fields; `starts[r]` is the offset of record r's first character. */
function tokenize(text: string, file: string, sep: string): { records: string[][]; starts: number[] } {
  const records: string[][] = [];
  const starts: number[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (msg: string, at: number): never => {
    throw new DataError(msg, { file, ...lineColumnAt(text, at) });
  };
  while (i < n) {
    // Skip empty lines.
    if (text[i] === '\n') { i++; continue; }
    if (text[i] === '\r' && text[i + 1] === '\n') { i += 2; continue; }
    starts.push(i);
    const record: string[] = [];
    for (;;) {
      let field: string;
      if (text[i] === '"') {
        const open = i;
        let value = '';
        let from = ++i;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) fail('unterminated quoted field (missing closing ")', open);
          if (text[q + 1] === '"') {
            value += text.slice(from, q + 1);
            i = from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        const c = text[i];
        if (i < n && c !== sep && c !== '\n' && !(c === '\r' && text[i + 1] === '\n')) {
          fail(`unexpected '${c}' after a closing quote (expected '${sep === '\t' ? '\\t' : sep}' or end of line)`, i);
        }
        field = value;
      } else {
        const from = i;
        while (i < n) {
          const c = text[i];
          if (c === sep || c === '\n' || (c === '\r' && text[i + 1] === '\n')) break;
          if (c === '"') fail(`unexpected '"' inside an unquoted field (quote the whole field and double inner quotes)`, i);
          i++;
        }
        field = text.slice(from, i);
      }
      record.push(field);
      if (i >= n) break;
      if (text[i] === sep) { i++; continue; }
      i += text[i] === '\r' ? 2 : 1; // end of record
      break;
    }
    records.push(record);
  }
  return { records, starts };
}

/** Offset of field `col` in the record starting at `start` (re-scans that record only). */
function fieldOffset(text: string, start: number, col: number, sep: string): number {
  let i = start;
  for (let c = 0; c < col; c++) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return i;
        if (text[q + 1] === '"') { i = q + 2; continue; }
        i = q + 1;
        break;
      }
    } else {
      while (i < text.length && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') i++;
    }
    if (text[i] !== sep) return i; // ran out of fields: point at the end of the record
    i++;
  }
  return i;
}

export interface CsvOptions {
  /** Field separator, one character. Default ','; '\t' reads TSV with the same quoting rules. */
  delimiter?: string;
}

/**
 * Parses CSV text with a header row. Every row must have as many fields as the header; errors carry
 * `file`, line and column. Fields are returned as written (no trimming, no number conversion).
 */
export function parseCsv(text: string, file = '<csv>', opts: CsvOptions = {}): CsvTable {
  const sep = opts.delimiter ?? ',';
  if (sep.length !== 1 || sep === '"' || sep === '\n' || sep === '\r') throw new RangeError(`parseCsv: bad delimiter ${JSON.stringify(sep)}`);
  const { records, starts } = tokenize(text, file, sep);
  if (records.length === 0) throw new DataError('empty CSV file (expected a header row)', { file, line: 1, column: 1 });
  const header = records[0];
  const where = (offset: number): DataLocation => ({ file, ...lineColumnAt(text, offset) });
  header.forEach((h, j) => {
    if (h.trim() === '') throw new DataError(`empty column name in the header (column ${j + 1})`, where(fieldOffset(text, starts[0], j, sep)));
  });
  const rows = records.slice(1);
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      const at = r.length > header.length ? fieldOffset(text, starts[k + 1], header.length, sep) : fieldOffset(text, starts[k + 1], r.length, sep);
      throw new DataError(`expected ${header.length} fields like the header, found ${r.length}`, where(at));
    }
  });
  return {
    file,
    header,
    rows,
    locate: (row, col) => where(fieldOffset(text, starts[row + 1], col, sep)),
    locateHeader: (col) => where(fieldOffset(text, starts[0], col, sep)),
  };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number as written in data files (surrounding spaces allowed), or undefined. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (!NUMBER.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}
