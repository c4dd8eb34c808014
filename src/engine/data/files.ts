// File access for dataset loading: where the packaged data lives, and reads that fail as DataErrors.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { DataError } from '../../core/data/errors';

/**
 * The folder holding mnist.bin and iris.json: $ENSEMBLE_LENS_DATA_DIR when set; else media/data next to
 * the bundle (dist/ -> ../media/data) or, running from source through tsx, the repository's
 * (src/engine/data -> ../../../media/data), whichever exists.
 */
export function defaultDataDir(): string {
  const env = process.env.ENSEMBLE_LENS_DATA_DIR;
  if (env) return env;
  const bundled = join(__dirname, '../media/data');
  const source = join(__dirname, '../../../media/data');
  if (existsSync(bundled)) return bundled;
  if (existsSync(source)) return source;
  return process.env.ENSEMBLE_LENS_BUNDLED === '1' ? bundled : source;
}

/** The file's bytes; a missing or unreadable file is a DataError naming it. */
export async function readBytes(file: string, hint = ''): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read file (${code ?? String(e)})`;
    throw new DataError(`${what}${hint}`, { file });
  }
}

/** The file as UTF-8 text. */
export async function readText(file: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readBytes(file));
}

/** Lower-case extension without the dot ('csv', 'json', 'npy', ...). */
export function fileKind(file: string): string {
  return extname(file).slice(1).toLowerCase();
}

/** A dataset name from a file path: the base name without its extension. */
export function nameOf(file: string): string {
  const b = basename(file);
  const e = extname(b);
  return e ? b.slice(0, -e.length) : b;
}
