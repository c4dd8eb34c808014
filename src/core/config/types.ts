// The resolved model of an `*.ensemble.json` file. Produced by `parseConfig` (parse.ts) from JSONC text;
// every node keeps the source range it came from so the CLI and the editor can point at it.
// Pure: no vscode, no TensorFlow.js.

/** A zero-based position in a text document (line and UTF-16 column), plus the absolute offset. */
export interface SourcePosition {
  line: number;
  character: number;
  offset: number;
}

/** A half-open range [start, end) in the config file. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** JSON path to a node, e.g. ['members', 2, 'layers', 0, 'units']. */
export type JsonPath = (string | number)[];

/** One problem found in a config: a JSONC syntax error, a schema violation or a semantic error. */
export interface Problem {
  severity: 'error' | 'warning' | 'info';
  /** Human message; names the field, e.g. `members[2].layers[0].units: expected a positive integer`. */
  message: string;
  /** Absolute or workspace-relative path of the file the problem is in (usually the config). */
  file: string;
  range: SourceRange;
  path: JsonPath;
  /** Stable machine code, e.g. 'json-syntax', 'schema', 'unknown-dataset', 'duplicate-id', 'missing-file', 'shape'. */
  code: string;
  /** A suggested edit (e.g. a misspelled property or enum value); the editor offers it as a quick fix. */
  fix?: ProblemFix;
}

/** One text replacement that fixes a problem. */
export interface ProblemFix {
  /** The text to replace (for a misspelling: the whole quoted string). */
  range: SourceRange;
  /** Replacement text, already JSON (e.g. `"learningRate"` with its quotes). */
  newText: string;
  /** Quick-fix title, e.g. `Change to "learningRate"`. */
  title: string;
}

export type Task = 'classification' | 'regression';

export type BuiltinDataset = 'mnist' | 'iris' | 'moons' | 'circles' | 'spirals' | 'blobs' | 'xor' | 'regression';

export type Normalization = 'none' | 'standard' | 'minmax';

/** The `data` block, with defaults applied. File paths are resolved against the config's folder. */
export interface DataSpec {
  /** A bundled dataset; absent when the data comes from the user's files. */
  source?: BuiltinDataset;
  /** Training samples to use (bundled/synthetic sets), or a training file path (user data). */
  train?: number | string;
  /** Test samples to use, or a test file path. */
  test?: number | string;
  /** For a single user file: the fraction of rows held out as test when `test` is not a file. Default 0.2. */
  testFraction?: number;
  /** Seed for synthetic generation, subsampling and splits. Default 0. */
  seed: number;
  /** Synthetic sets: noise level. */
  noise?: number;
  /** Synthetic sets: total samples generated (train + test). */
  samples?: number;
  /** Synthetic `blobs`: number of classes; `regression`: number of features. */
  classes?: number;
  features?: number;
  /** User CSV/JSON: the label column name (or index). */
  label?: string | number;
  /** User CSV/JSON: feature columns (default: all but the label). */
  featureColumns?: (string | number)[];
  /** Prediction-file-only ensembles: a file with the test labels (or targets). */
  labels?: string;
  normalize: Normalization;
  /** Attack bounds override: [min, max] applied to every feature. */
  bounds?: [number, number];
}

export type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'elu' | 'selu' | 'gelu' | 'softplus' | 'leakyRelu';

/** One layer of a `layers` member. Only the fields of its type are meaningful. */
export interface LayerSpec {
  type: 'dense' | 'conv2d' | 'maxPooling2d' | 'averagePooling2d' | 'flatten' | 'dropout' | 'batchNormalization' | 'activation' | 'reshape';
  units?: number;
  filters?: number;
  kernelSize?: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  poolSize?: number | [number, number];
  rate?: number;
  activation?: Activation;
  targetShape?: number[];
  useBias?: boolean;
  /** Where this layer is in the file (the layer object). */
  range: SourceRange;
}

export type Optimizer = 'adam' | 'sgd' | 'rmsprop' | 'adagrad' | 'momentum';

/** Training hyper-parameters: the `defaults` block merged under each member's own fields. */
export interface TrainingSpec {
  optimizer: Optimizer;
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Bagging: draw the training set with replacement (seeded). */
  bootstrap: boolean;
  /** Random feature subset: a fraction in (0,1] or a count of input features (tabular data only). */
  features?: number;
  labelSmoothing: number;
  weightDecay: number;
}

export type MemberSource =
  | { kind: 'layers'; layers: LayerSpec[] }
  | { kind: 'model'; /** Resolved absolute path of model.json or .onnx. */ path: string; format: 'tfjs' | 'onnx' }
  | { kind: 'predictions'; /** Resolved absolute path of .csv/.json/.npy. */ path: string; format: 'csv' | 'json' | 'npy' };

/** One member after `repeat` expansion. */
export interface MemberSpec {
  /** Unique id. A `repeat: k` entry with id `mlp` expands to `mlp#1` .. `mlp#k`. */
  id: string;
  /** The id as written, shared by the members of a `repeat` group. */
  groupId: string;
  /** 0-based index inside the repeat group (0 when not repeated). */
  repeatIndex: number;
  repeatCount: number;
  source: MemberSource;
  /** Present for `layers` members: defaults merged with the member's own fields; seed already offset by repeatIndex. */
  training?: TrainingSpec;
  /** Range of the member's object in the file (the whole `{...}`). */
  range: SourceRange;
  /** Range of the `id` value. */
  idRange: SourceRange;
  /** Index of the entry in the `members` array it came from. */
  entryIndex: number;
  /** The entry's `description`, if any. */
  description?: string;
}

export type CombineMethod = 'mean' | 'vote' | 'weighted';

export interface CombineSpec {
  method: CombineMethod;
  /** Weights by member id (for `weighted`); absent ids get 0. */
  weights?: Record<string, number>;
  range?: SourceRange;
}

/** The `attack` block (adversarial transferability); kept raw-ish here and refined by the attack engine. */
export interface AttackSpec {
  method: 'fgsm' | 'pgd';
  norm: 'linf' | 'l2';
  epsilon: number[];
  steps: number;
  stepSize?: number;
  randomStart: boolean;
  restarts: number;
  targeted: boolean;
  targetClass?: number;
  poolSize: number;
  seed: number;
  ensembleAttacks: ('ens' | 'cwa' | 'adaea' | 'leaveOneOut')[];
}

/** The `analysis` block: options of the analyses (defaults in the schema and docs/metrics.md). */
export interface AnalysisSpec {
  eceBins?: number;
  seed?: number;
  sizeCurveOrders?: number;
  topSamples?: number;
  selection?: { metric?: 'nll' | 'accuracy' | 'rmse'; steps?: number; fraction?: number; folds?: number };
  stacking?: { alphas?: number[]; folds?: number; prune?: boolean; maxSamples?: number };
}

export interface EnsembleConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Folder relative paths are resolved against. */
  dir: string;
  name: string;
  task: Task;
  data: DataSpec;
  members: MemberSpec[];
  combine: CombineSpec;
  attack?: AttackSpec;
  /** The `analysis` block as written (only schema-valid fields); see analysisOptionsOf. */
  analysis?: AnalysisSpec;
  /** Range of the `members` array (for "Train all" CodeLens etc.). */
  membersRange?: SourceRange;
  /** Range of the whole document's root object. */
  rootRange: SourceRange;
  /** The top-level `description`, if any. */
  description?: string;
  /** `cache` as written in the file (relative to `dir`), when present. Prefer `cacheDir`. */
  cache?: string;
  /** Absolute path of the cache folder (`cache`, default `.ensemble-lens`, resolved against `dir`). Always set by `parseConfig`. */
  cacheDir?: string;
}

export interface ParseResult {
  /** Present when the file parsed well enough to build a model (it may still have problems). */
  config?: EnsembleConfig;
  problems: Problem[];
}
