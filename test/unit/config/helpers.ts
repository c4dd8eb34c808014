// Shared helpers for the config tests: build texts line by line (so positions are easy to count by
// hand), a fake file host, and short views of problems.
import type { ConfigHost } from '../../../src/core/config/parse';
import type { Problem } from '../../../src/core/config/types';

export const FILE = '/proj/cfg/demo.ensemble.json';
export const DIR = '/proj/cfg';

/** Joins lines with '\n'; line i of the array is line i (0-based) of the text. */
export const lines = (...ls: string[]): string => ls.join('\n');

/** A host where exactly `files` (absolute paths) exist; `texts` gives readable contents. */
export function fakeHost(files: string[], texts: Record<string, string> = {}): ConfigHost {
  const all = new Set([...files, ...Object.keys(texts)]);
  return { exists: (p) => all.has(p), readText: (p) => texts[p] };
}

/** [startLine, startChar, endLine, endChar] of a problem (0-based). */
export function span(p: Problem): [number, number, number, number] {
  return [p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character];
}

/** The only problem with `code` (fails when there are none or several). */
export function only(problems: Problem[], code: string): Problem {
  const found = problems.filter((p) => p.code === code);
  if (found.length !== 1) {
    throw new Error(`expected one '${code}' problem, got ${found.length}:\n${problems.map((p) => `${p.code} ${p.message}`).join('\n')}`);
  }
  return found[0];
}

/** Problems of severity error. */
export const errors = (problems: Problem[]): Problem[] => problems.filter((p) => p.severity === 'error');

/** A member line that is valid on mnist (flatten -> dense 10 softmax). */
export const MNIST_MLP = '{ "type": "flatten" }, { "type": "dense", "units": 10, "activation": "softmax" }';
