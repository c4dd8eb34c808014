// Paths in the config: resolved against the config's folder and checked through the host. Pure string
// handling (core imports no Node modules): POSIX paths, and Windows paths (`C:\x`, `\\server\share`)
// when the config's own path is a Windows one, matching node:path's posix/win32 `resolve` for those.
import type { Node } from 'jsonc-parser';
import type { JsonPath } from './types';
import { report, type ParseContext } from './context';

const WIN_ROOT = /^(?:[a-zA-Z]:[\\/]|[\\/]{2}[^\\/]+[\\/][^\\/]+[\\/]?)/;

/** True for `/x`, `C:\x`, `C:/x` and `\\server\share\x`. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || WIN_ROOT.test(p);
}

function isWindows(p: string): boolean {
  return WIN_ROOT.test(p) || (p.includes('\\') && !p.includes('/'));
}

/** Normalises `.`/`..` and separators; `p` must be absolute. */
function normalize(p: string, win: boolean): string {
  const sep = win ? '\\' : '/';
  const rootMatch = win ? WIN_ROOT.exec(p) : /^\/+/.exec(p);
  let root = rootMatch ? rootMatch[0] : '';
  if (win) root = root.replace(/[\\/]/g, '\\');
  else root = '/';
  if (win && !root.endsWith('\\')) root += '\\';
  const parts: string[] = [];
  for (const seg of p.slice(rootMatch ? rootMatch[0].length : 0).split(win ? /[\\/]+/ : /\/+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return root + parts.join(sep);
}

/** `p` resolved against the config's folder `dir` (absolute paths are only normalised). */
export function resolvePath(dir: string, p: string): string {
  const win = isWindows(dir) || (WIN_ROOT.test(p) && !p.startsWith('/'));
  const abs = isAbsolutePath(p) ? p : `${dir}${win ? '\\' : '/'}${p}`;
  return normalize(abs, win);
}

/** The folder of an absolute file path. */
export function dirnameOf(path: string): string {
  const win = isWindows(path);
  const file = path.length > 1 ? path.replace(win ? /[\\/]+$/ : /\/+$/, '') || path.slice(0, 1) : path;
  const i = win ? Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) : file.lastIndexOf('/');
  if (i < 0) return '.';
  const head = file.slice(0, i + 1);
  const root = win ? WIN_ROOT.exec(file)?.[0] : '/';
  return root !== undefined && head.length <= root.length ? root : file.slice(0, i);
}

/** The last path segment. */
export function basenameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), isWindows(p) ? p.lastIndexOf('\\') : -1);
  return p.slice(i + 1);
}

/** The lower-cased extension with its dot ('.onnx'), '' when there is none. */
export function extensionOf(p: string): string {
  const b = basenameOf(p);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i).toLowerCase();
}

/**
 * Checks a path value: its extension is one of `exts` (else `bad-extension` with `severity`), and the file
 * exists when a host is given (else `missing-file`). Returns the absolute path.
 */
export function checkPath(
  ctx: ParseContext,
  node: Node,
  path: JsonPath,
  exts: readonly string[],
  what: string,
  severity: 'error' | 'warning' = 'error',
): string {
  const raw = String(node.value);
  const abs = resolvePath(ctx.dir, raw);
  const ext = extensionOf(raw);
  if (!exts.includes(ext)) {
    const got = ext === '' ? 'no extension' : `"${ext}"`;
    report(ctx, severity, 'bad-extension', path, node, `${what} must be ${exts.map((e) => `"${e}"`).join(', ')}, got ${got}`);
  }
  if (ctx.host && !ctx.host.exists(abs)) {
    report(ctx, 'error', 'missing-file', path, node, `file not found: ${raw} (resolved to ${abs})`);
  }
  return abs;
}
