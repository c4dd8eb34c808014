// Turning a saved model's raw outputs into what `MemberOutputs` holds.
//
// A model's outputs are taken as probabilities when every value is in [0, 1] and every row sums to 1
// within 1e-3; otherwise they are logits and a softmax is applied. (A logits model whose outputs happen to
// look like probabilities on every test row would be misread; with whole test sets this does not happen in
// practice. TF.js layers models skip the guess: their final activation is inspected, see tfjsMember.ts.)
// One output per sample with two classes: sigmoid probabilities of class 1 (or logits, then a sigmoid).

/** How raw outputs become probabilities. */
export type OutputKind = 'probabilities' | 'logits' | 'binaryProbability' | 'binaryLogit' | 'regression';

/** Decides how to read `raw` (n rows of `width`), or gives the reason it cannot fit `numClasses`. */
export function detectOutputKind(raw: Float32Array, n: number, width: number, task: 'classification' | 'regression', numClasses: number): OutputKind | { error: string } {
  if (task === 'regression') return width === 1 ? 'regression' : { error: `the model outputs ${width} values per sample, a regression member needs 1` };
  const inUnit = (from: number, to: number): boolean => {
    for (let i = from; i < to; i++) if (!(raw[i] >= 0 && raw[i] <= 1)) return false;
    return true;
  };
  if (width === 1 && numClasses === 2) return inUnit(0, n) ? 'binaryProbability' : 'binaryLogit';
  if (width !== numClasses) return { error: `the model outputs ${width} values per sample, but the dataset has ${numClasses} classes` };
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < width; c++) s += raw[r * width + c];
    if (Math.abs(s - 1) > 1e-3 || !inUnit(r * width, (r + 1) * width)) return 'logits';
  }
  return 'probabilities';
}

/** Applies the rule chosen by detectOutputKind; returns n * numClasses values (n for regression). */
export function toProbabilities(raw: Float32Array, n: number, width: number, kind: OutputKind): Float32Array {
  switch (kind) {
    case 'probabilities':
    case 'regression':
      return raw.length === n * width ? raw : raw.slice(0, n * width);
    case 'binaryProbability':
    case 'binaryLogit': {
      const out = new Float32Array(n * 2);
      for (let r = 0; r < n; r++) {
        const p = kind === 'binaryLogit' ? 1 / (1 + Math.exp(-raw[r])) : raw[r];
        out[2 * r] = 1 - p;
        out[2 * r + 1] = p;
      }
      return out;
    }
    case 'logits': {
      const out = new Float32Array(n * width);
      for (let r = 0; r < n; r++) {
        let m = -Infinity;
        for (let c = 0; c < width; c++) m = Math.max(m, raw[r * width + c]);
        let s = 0;
        for (let c = 0; c < width; c++) s += Math.exp(raw[r * width + c] - m);
        for (let c = 0; c < width; c++) out[r * width + c] = Math.exp(raw[r * width + c] - m) / s;
      }
      return out;
    }
  }
}
