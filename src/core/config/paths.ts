// Resolving the config's relative paths and checking them through the host.
import { isAbsolute, resolve, extname } from 'node:path';
import type { Node } from 'jsonc-parser';
import type { JsonPath } from './types';
import { report, type ParseContext } from './context';


/** `p` resolved against the config's folder (absolute paths are kept). */
export function resolvePath(dir: string, p: string): string {
  return isAbsolute(p) ? resolve(p) : resolve(dir, p);
}

/** The lower-cased extension with its dot ('.onnx'), '' when there is none. */
export function extensionOf(p: string): string {
  return extname(p).toLowerCase();
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
