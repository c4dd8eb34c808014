// Just enough CSV reading to check a user data file against the config: its header and label column.

/** Splits one CSV line on `sep`, honouring double-quoted fields ("a,b" and "" escapes). */
export function splitCsvLine(line: string, sep = ','): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** What the checks learn from a CSV file. */
export interface CsvFacts {
  columns: string[];
  rows: number;
  /** Distinct labels in `labelIndex` (integers 0..k-1 -> k; otherwise the number of distinct values). */
  numClasses?: number;
}

/** Reads the header and counts the classes of column `labelIndex` (when given). */
export function csvFacts(text: string, labelIndex?: number, sep = ','): CsvFacts {
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  const columns = lines.length > 0 ? splitCsvLine(lines[0], sep) : [];
  const facts: CsvFacts = { columns, rows: Math.max(0, lines.length - 1) };
  if (labelIndex === undefined || labelIndex >= columns.length || lines.length < 2) return facts;
  const values = new Set<string>();
  let allInts = true;
  let max = -1;
  for (let i = 1; i < lines.length; i++) {
    const v = splitCsvLine(lines[i], sep)[labelIndex] ?? '';
    values.add(v);
    const n = Number(v);
    if (v === '' || !Number.isInteger(n) || n < 0) allInts = false;
    else max = Math.max(max, n);
  }
  facts.numClasses = allInts ? max + 1 : values.size;
  return facts;
}
