// Chooses and initialises the TensorFlow.js backend of this thread (each pool worker calls it once).
// Order for 'auto': the native binding (@tensorflow/tfjs-node, optional) > wasm (with our training
// kernels, see wasmKernels.ts) > cpu (pure JS, ~50x slower than wasm). TensorFlow.js is imported as
// '@tensorflow/tfjs' everywhere: in Node, tfjs-core alone does not register the gradients.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { registerWasmKernels } from './wasmKernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** One sentence for logs and the UI: why this backend was chosen. */
  reason: string;
}

/** Kernels every training step may run (dense nets, losses, optimizers, batch norm, activations). */
const TRAIN_KERNELS = [
  'BatchMatMul', 'Add', 'AddN', 'Sub', 'Multiply', 'RealDiv', 'Sum', 'Mean', 'Max', 'Maximum', 'Exp', 'Log',
  'Sqrt', 'Rsqrt', 'Square', 'Neg', 'Relu', 'Step', 'Sigmoid', 'Tanh', 'Softmax', 'Elu', 'EluGrad', 'Selu',
  'Softplus', 'LeakyRelu', 'Erf', 'Transpose', 'Reshape', 'Cast', 'Greater', 'GreaterEqual', 'Select', 'ArgMax',
  'Equal', 'Fill', 'ZerosLike', 'OnesLike', 'Tile', 'Slice', 'Concat', 'PadV2',
];
/** Extra kernels for convolutional nets. */
const CONV_KERNELS = ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPool', 'MaxPoolGrad', 'AvgPool', 'AvgPoolGrad'];

/** Training kernels `backend` lacks (empty when it can train the given kind of model). */
export function missingKernels(backend: string, conv: boolean): string[] {
  const names = conv ? [...TRAIN_KERNELS, ...CONV_KERNELS] : TRAIN_KERNELS;
  return names.filter((k) => !tf.getKernel(k, backend));
}

/** Folder holding tfjs-backend-wasm's .wasm files: dist/wasm/ in the bundle, the package's dist/ from source. */
export function wasmDir(): string {
  if (process.env.ENSEMBLE_LENS_BUNDLED === '1') return join(__dirname, 'wasm') + sep;
  const pkg = '@tensorflow/tfjs-backend-wasm'; // a variable: bundlers must not try to inline the resolution
  return dirname(require.resolve(pkg)) + sep;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

async function tryNative(): Promise<string | undefined> {
  try {
    // Optional dependency: a native addon that needs a download at install time.
    require('@tensorflow/tfjs-node');
  } catch (e) {
    return `@tensorflow/tfjs-node is not installed or failed to load (${message(e)})`;
  }
  if (!(await tf.setBackend('tensorflow'))) return '@tensorflow/tfjs-node loaded but its backend failed to initialise';
  return undefined;
}

let wasmPathsSet = false;

async function tryWasm(): Promise<string | undefined> {
  if (!wasmPathsSet) {
    const dir = wasmDir();
    if (!existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm')) && !existsSync(join(dir, 'tfjs-backend-wasm.wasm'))) {
      return `the wasm binaries are missing from ${dir}`;
    }
    setWasmPaths(dir);
    // One member trains per worker thread, so one wasm thread per worker: no oversubscription. (In
    // Node tfjs-backend-wasm 4.22 reports no multithreading support and loads the single-threaded
    // SIMD binary anyway; measured: setThreadsCount(2) changes nothing.)
    setThreadsCount(1);
    wasmPathsSet = true;
  }
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch (e) {
    return `the wasm backend failed to initialise (${message(e)})`;
  }
  if (!ok) return 'the wasm backend failed to initialise';
  registerWasmKernels();
  return undefined;
}

/**
 * Initialises the backend of this thread and reports which one and why. `auto` prefers the native
 * binding, then wasm (when it has every kernel training needs; `needs.conv` adds the convolution
 * ones), then cpu. A forced backend that cannot load rejects with a message naming the cause.
 */
export async function initBackend(choice: 'auto' | BackendName, needs: { conv: boolean } = { conv: false }): Promise<BackendInfo> {
  // Production mode: no debug checks, and no "install tfjs-node" banner from the cpu backend.
  tf.enableProdMode();
  if (choice === 'tensorflow') {
    const why = await tryNative();
    if (why) throw new Error(`backend 'tensorflow' is unavailable: ${why}. Use 'wasm' or 'auto'.`);
    return { name: 'tensorflow', reason: 'forced by settings (native TensorFlow via @tensorflow/tfjs-node)' };
  }
  if (choice === 'wasm') {
    const why = await tryWasm();
    if (why) throw new Error(`backend 'wasm' is unavailable: ${why}. Use 'cpu' or 'auto'.`);
    const missing = missingKernels('wasm', needs.conv);
    if (missing.length) throw new Error(`backend 'wasm' cannot train this model: it lacks the kernels ${missing.join(', ')}`);
    return { name: 'wasm', reason: 'forced by settings (WebAssembly + XNNPACK, one thread per worker)' };
  }
  if (choice === 'cpu') {
    await tf.setBackend('cpu');
    return { name: 'cpu', reason: 'forced by settings (pure JavaScript; slow)' };
  }
  const nativeWhy = await tryNative();
  if (!nativeWhy) return { name: 'tensorflow', reason: 'native TensorFlow (@tensorflow/tfjs-node) is installed' };
  const wasmWhy = (await tryWasm()) ?? (missingKernels('wasm', needs.conv).length ? `it lacks the kernels ${missingKernels('wasm', needs.conv).join(', ')}` : undefined);
  if (!wasmWhy) return { name: 'wasm', reason: `WebAssembly + XNNPACK with Ensemble Lens's training kernels; ${nativeWhy}` };
  await tf.setBackend('cpu');
  return { name: 'cpu', reason: `pure JavaScript (slow): ${nativeWhy}; wasm unusable: ${wasmWhy}` };
}
