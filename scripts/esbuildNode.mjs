// esbuild options of the Node bundles (extension, workers, CLI), shared by scripts/build.mjs and by
// bench/index.ts, which bundles the pure-code benchmarks the same way so that they time the code as shipped.
export function nodeBundleOptions(production = false) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    // jsonc-parser's UMD entry does not bundle (dynamic requires); its ESM entry does.
    mainFields: ['module', 'main'],
    // Native or optional modules are loaded from node_modules at run time.
    external: ['vscode', '@tensorflow/tfjs-node', 'onnxruntime-node'],
    define: { 'process.env.ENSEMBLE_LENS_BUNDLED': '"1"' },
  };
}
