// The files members are loaded from: an absolute path plus the name messages use, and reading with
// errors that say what is wrong with the file.
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { errorText, loadError } from './errors';

/** A file being read, with the name used in messages. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Shown in messages: relative to `baseDir` when the file is inside it, else the path itself. */
  display: string;
}

/** Names `path` relative to `baseDir` (default: the working directory) when it lies inside it. */
export function sourceFile(path: string, baseDir: string = process.cwd()): SourceFile {
  const rel = relative(baseDir, path);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return { path, display: inside ? rel.split('\\').join('/') : path };
}

/** The file's bytes, or a MemberLoadError saying it is missing / unreadable. */
export async function readBytes(src: SourceFile): Promise<Uint8Array> {
  try {
    return await readFile(src.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw loadError(src, 'file not found');
    if (code === 'EISDIR') throw loadError(src, 'is a folder, expected a file');
    throw loadError(src, `cannot read the file: ${errorText(e)}`);
  }
}
