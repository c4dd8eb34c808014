// Starting points for `New Ensemble Config`: each a complete, valid `*.ensemble.json` (JSONC).
// Pure (no vscode).

export interface ConfigTemplate {
  id: 'deep' | 'bagging' | 'heterogeneous' | 'predictions';
  label: string;
  detail: string;
  /** Suggested file name. */
  fileName: string;
  text: string;
}

export const TEMPLATES: readonly ConfigTemplate[] = [
  {
    id: 'deep',
    label: 'Deep ensemble over seeds',
    detail: 'One architecture trained k times from different random seeds (Lakshminarayanan et al. 2017).',
    fileName: 'deep.ensemble.json',
    text: `// A deep ensemble: the same network trained from 5 seeds; \`repeat\` expands one entry into 5 members.
{
  "task": "classification",
  "data": { "source": "moons", "samples": 1000, "noise": 0.25, "seed": 0, "normalize": "standard" },
  "defaults": { "epochs": 30, "batchSize": 32, "optimizer": "adam", "learningRate": 0.01 },
  "members": [
    { "id": "mlp", "repeat": 5, "layers": [
        { "type": "dense", "units": 32, "activation": "relu" },
        { "type": "dense", "units": 32, "activation": "relu" },
        { "type": "dense", "units": 2, "activation": "softmax" } ] }
  ],
  "combine": "mean"
}
`,
  },
  {
    id: 'bagging',
    label: 'Bagging',
    detail: 'Each member trains on a bootstrap resample of the training set (Breiman 1996).',
    fileName: 'bagging.ensemble.json',
    text: `// Bagging: every member sees a bootstrap resample (drawn with replacement, seeded) of the training set.
{
  "task": "classification",
  "data": { "source": "iris", "test": 45, "seed": 0, "normalize": "standard" },
  "defaults": { "epochs": 60, "batchSize": 16, "optimizer": "adam", "learningRate": 0.01, "bootstrap": true },
  "members": [
    { "id": "bag", "repeat": 7, "layers": [
        { "type": "dense", "units": 16, "activation": "relu" },
        { "type": "dense", "units": 3, "activation": "softmax" } ] }
  ],
  "combine": "vote"
}
`,
  },
  {
    id: 'heterogeneous',
    label: 'Heterogeneous ensemble',
    detail: 'Different architectures side by side, plus a saved model from your workspace.',
    fileName: 'heterogeneous.ensemble.json',
    text: `// Different architectures in one ensemble. Add saved models with { "id": "...", "model": "path/model.json" }
// (TF.js) or "path/model.onnx" (ONNX), evaluated on the same test split.
{
  "task": "classification",
  "data": { "source": "moons", "samples": 1000, "noise": 0.3, "seed": 0, "normalize": "standard" },
  "defaults": { "epochs": 30, "batchSize": 32, "optimizer": "adam", "learningRate": 0.01 },
  "members": [
    { "id": "linear", "layers": [ { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "narrow", "layers": [
        { "type": "dense", "units": 8, "activation": "tanh" },
        { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "deep", "layers": [
        { "type": "dense", "units": 32, "activation": "relu" },
        { "type": "dense", "units": 32, "activation": "relu" },
        { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "dropout", "layers": [
        { "type": "dense", "units": 64, "activation": "relu" },
        { "type": "dropout", "rate": 0.3 },
        { "type": "dense", "units": 2, "activation": "softmax" } ] }
  ],
  "combine": "mean"
}
`,
  },
  {
    id: 'predictions',
    label: 'Prediction files',
    detail: 'An ensemble of models trained elsewhere: per-sample outputs as CSV, JSON or .npy (e.g. Kaggle out-of-fold files).',
    fileName: 'predictions.ensemble.json',
    text: `// Members made elsewhere: each file holds one row of class probabilities (or one value, for regression)
// per test sample, in the order of the labels file. Nothing is trained here.
{
  "task": "classification",
  "data": { "labels": "oof/labels.csv" },
  "members": [
    { "id": "model-a", "predictions": "oof/model-a.csv" },
    { "id": "model-b", "predictions": "oof/model-b.csv" }
  ],
  "combine": "mean"
}
`,
  },
];

/** A file name that does not clash: `deep.ensemble.json`, then `deep-2.ensemble.json`, ... */
export function uniqueFileName(base: string, exists: (name: string) => boolean): string {
  if (!exists(base)) return base;
  const stem = base.replace(/\.ensemble\.json$/, '');
  for (let i = 2; ; i++) {
    const name = `${stem}-${i}.ensemble.json`;
    if (!exists(name)) return name;
  }
}
