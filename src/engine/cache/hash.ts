// Content hashes for cache keys: SHA-256 over a canonical JSON form (sorted keys, no source ranges).
import { createHash } from 'node:crypto';

/** JSON with object keys sorted and `range`-like fields dropped, so formatting edits don't change the hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'range' || key === 'idRange' || key === 'rootRange' || key === 'membersRange') return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return v;
  });
}

export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
