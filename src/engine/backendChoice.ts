// Resolves the backend a run will use, on the host, without loading TensorFlow.js: the cache key
// depends on it. The worker then initialises it (src/engine/tf/backend.ts) and reports why.
import type { BackendChoice } from '../core/protocol';

/** True when the optional native backend (@tensorflow/tfjs-node) is installed. */
export function nativeBackendInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** The backend name that `auto` resolves to here: tensorflow when installed, else wasm. */
export function resolveBackendName(choice: BackendChoice): 'tensorflow' | 'wasm' | 'cpu' {
  if (choice !== 'auto') return choice;
  return nativeBackendInstalled() ? 'tensorflow' : 'wasm';
}
