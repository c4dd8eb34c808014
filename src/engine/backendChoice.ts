// Resolves the backend a run will use, on the host, without loading TensorFlow.js: the cache key
// depends on it. The worker then initialises it (src/engine/tf/backend.ts) and reports why.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendChoice } from '../core/protocol';

/**
 * True when the optional native backend (@tensorflow/tfjs-node) is installed with its native binding.
 * Its installer downloads libtensorflow; where that failed the package may exist without the binding.
 */
export function nativeBackendInstalled(): boolean {
  try {
    const pkg = require.resolve('@tensorflow/tfjs-node/package.json');
    const lib = join(dirname(pkg), 'lib');
    return existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
  } catch {
    return false;
  }
}

/** The backend name that `auto` resolves to here: tensorflow when installed, else wasm. */
export function resolveBackendName(choice: BackendChoice): 'tensorflow' | 'wasm' | 'cpu' {
  if (choice !== 'auto') return choice;
  return nativeBackendInstalled() ? 'tensorflow' : 'wasm';
}
