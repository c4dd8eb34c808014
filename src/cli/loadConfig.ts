// Reads and validates a config for the CLI: problems print as `file:line:col: severity: message`.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { EnsembleConfig, Problem } from '../core/config/types';
import { parseConfig } from '../core/config/parse';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The host the parser uses to check referenced files. */
export const fsHost = {
  exists: (p: string) => existsSync(p),
  readText: (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** `path:line:col: severity: message`, 1-based, path relative to the working folder when inside it. */
export function formatProblem(p: Problem): string {
  const rel = relative(process.cwd(), p.file);
  const file = rel && !rel.startsWith('..') ? rel : p.file;
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`;
}

export interface LoadedConfig {
  config?: EnsembleConfig;
  problems: Problem[];
  errors: number;
}

export function loadConfig(path: string, opts: { maxModelBytes?: number } = {}): LoadedConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(e)})`);
  }
  const r = parseConfig(text, file, fsHost, opts);
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  return { config: r.config, problems: r.problems, errors };
}

/** Loads a config, prints its problems to stderr, and throws when it has errors. */
export function requireValidConfig(path: string, opts: { maxModelBytes?: number } = {}): EnsembleConfig {
  const r = loadConfig(path, opts);
  for (const p of r.problems) process.stderr.write(formatProblem(p) + '\n');
  if (r.errors > 0 || !r.config) throw new CliError(`${path}: ${r.errors} error${r.errors === 1 ? '' : 's'}`);
  return r.config;
}

/** Checks `--member` ids against the config: a usage error (exit 2) names the unknown ones and lists the members. */
export function requireKnownMembers(config: EnsembleConfig, ids: string[] | undefined): void {
  const unknown = ids?.filter((id) => !config.members.some((m) => m.id === id)) ?? [];
  if (unknown.length) {
    throw new CliError(`--member: no member ${unknown.map((id) => `'${id}'`).join(', ')} in ${relative(process.cwd(), config.file) || config.file} (members: ${config.members.map((m) => m.id).join(', ')})`, 2);
  }
}
