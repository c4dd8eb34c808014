// A TF.js IOHandler that reads `model.json` and its weight shards with `fs` (tfjs-node's `file://` handler
// is not available to us). Problems name the file and, inside model.json, the line and column.
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { findNodeAtLocation, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { lineColumnAt } from '../../core/data/errors';
import { errorText, loadError } from './errors';
import { readBytes, sourceFile, type SourceFile } from './sourceFile';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, complex64: 8, uint16: 2, float16: 2 };

/** An IOHandler loading a TF.js model (layers or graph) from a local model.json; `baseDir` names files in errors. */
export function fileSystemHandler(modelJson: string, baseDir?: string): tf.io.IOHandler {
  const src = sourceFile(modelJson, baseDir);
  return { load: () => readModelArtifacts(src) };
}

/** Reads model.json + shards into ModelArtifacts; throws MemberLoadError. */
export async function readModelArtifacts(src: SourceFile): Promise<tf.io.ModelArtifacts> {
  const text = new TextDecoder('utf-8').decode(await readBytes(src));
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const at: Locate = (path) => {
    const node: Node | undefined = root && findNodeAtLocation(root, path);
    return node ? lineColumnAt(text, node.offset) : {};
  };
  if (errors.length > 0 || !root) {
    const pos = lineColumnAt(text, errors[0]?.offset ?? 0);
    throw loadError(src, `invalid JSON: ${errors[0] ? printParseErrorCode(errors[0].error) : 'empty file'}`, pos.line, pos.column);
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (e) {
    throw loadError(src, `invalid JSON: ${errorText(e)}`);
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw loadError(src, 'not a TF.js model.json: no "modelTopology" object', 1, 1);
  }
  if (json.weightsManifest !== undefined && !Array.isArray(json.weightsManifest)) {
    const pos = at(['weightsManifest']);
    throw loadError(src, '"weightsManifest" must be an array of weight groups', pos.line, pos.column);
  }
  const loadWeights = (manifest: tf.io.WeightsManifestConfig) => readWeights(src, manifest, at);
  try {
    return await tf.io.getModelArtifactsForJSON(json, loadWeights);
  } catch (e) {
    if (e instanceof Error && e.name === 'MemberLoadError') throw e;
    throw loadError(src, errorText(e));
  }
}

type Locate = (path: JSONPath) => { line?: number; column?: number };

/** Reads every group's shards (paths relative to model.json), checking each exists and has the manifest's size. */
async function readWeights(src: SourceFile, manifest: tf.io.WeightsManifestConfig, at: Locate): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const dir = dirname(src.path);
  const buffers: Uint8Array[] = [];
  for (let g = 0; g < manifest.length; g++) {
    const group = manifest[g];
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      const pos = at(['weightsManifest', g]);
      throw loadError(src, `weightsManifest[${g}] needs "paths" and "weights" arrays`, pos.line, pos.column);
    }
    let found = 0;
    for (let k = 0; k < group.paths.length; k++) {
      const shardPath = resolve(dir, group.paths[k]);
      try {
        if (!(await stat(shardPath)).isFile()) throw new Error('not a file');
      } catch {
        const pos = at(['weightsManifest', g, 'paths', k]);
        throw loadError(src, `weight file ${group.paths[k]} not found next to model.json (${shardPath})`, pos.line, pos.column);
      }
      const bytes = await readBytes(sourceFile(shardPath, dir));
      buffers.push(bytes);
      found += bytes.length;
    }
    const expected = expectedBytes(group.weights);
    if (expected !== undefined && expected !== found) {
      const pos = at(['weightsManifest', g, 'paths']);
      const list = group.weights.map((w) => `${w.name} [${w.shape.join(', ')}] ${w.quantization?.dtype ?? w.dtype}`).join(', ');
      const files = `weight file${group.paths.length > 1 ? 's' : ''} ${group.paths.join(', ')}`;
      throw loadError(src, `${files} hold ${found} bytes, but weightsManifest[${g}] needs ${expected} (${list})`, pos.line, pos.column);
    }
  }
  const all = new Uint8Array(buffers.reduce((a, b) => a + b.length, 0));
  let off = 0;
  for (const b of buffers) {
    all.set(b, off);
    off += b.length;
  }
  return [tf.io.getWeightSpecs(manifest), all.buffer];
}

/** Bytes a weight group needs, or undefined when it holds strings (variable size). */
function expectedBytes(weights: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const w of weights) {
    const bytes = BYTES[w.quantization?.dtype ?? w.dtype];
    if (bytes === undefined) return undefined;
    total += w.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

