// Just enough CSV reading to check a user data file against the config while it is edited: the header,
// the label column and the number of classes, with the same rules as the loader (core/data/table.ts).
import { defaultLabelColumn, labelEncoding, type DataTable } from '../data/table';

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
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The non-empty lines of a CSV text (a quoted field spanning lines is not expected in headers). */
export function csvLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
}

/** The loader's label column when `label` is not given ('label', 'target', 'y', 'class', else the last). */
export function defaultLabelIndex(columns: string[], file: string): number {
  const header: DataTable = {
    file,
    columns,
    nRows: 0,
    cell: () => undefined,
    locate: () => ({ file }),
    locateColumn: () => ({ file }),
  };
  return defaultLabelColumn(header);
}

/** Classes in column `labelIndex` of the data rows, as the loader counts them (undefined when none). */
export function countClasses(lines: string[], labelIndex: number, sep = ','): number | undefined {
  const values: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const v = splitCsvLine(lines[i], sep)[labelIndex];
    if (v !== undefined && v.trim() !== '') values.push(v);
  }
  return values.length > 0 ? labelEncoding(values).numClasses : undefined;
}
