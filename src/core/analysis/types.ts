// The ensemble analysis report: plain JSON (numbers, strings, arrays; `null` where a value is
// undefined, never NaN or Infinity). Every field is defined in docs/metrics.md under the same name.

/** How members' outputs are combined into the ensemble prediction. */
export interface CombineSpec {
  /** 'mean' averages probabilities (or predictions); 'weighted' uses sum w_i p_i / sum w_i; 'vote' is plurality of argmaxes (classification). */
  method: 'mean' | 'vote' | 'weighted';
  /** Weight per member id (>= 0, positive total); required for every member when method is 'weighted'; ignored by 'vote'. */
  weights?: Record<string, number>;
}

/** Options of analyzeEnsemble; every field is optional. */
export interface AnalysisOptions {
  /** Ensemble combination (default { method: 'mean' }). */
  combine?: CombineSpec;
  /** Number of equal-width confidence bins for ECE/MCE (default 15). */
  eceBins?: number;
  /** Error-signal (classification) or residual (regression) correlation above which members are redundant (default 0.95). */
  redundancyThreshold?: number;
  /** Seed of every random choice (orders, splits, folds, subsamples, rank ties) (default 0). */
  seed?: number;
  /** Random member orders for the size curve (default 20). */
  sizeCurveOrders?: number;
  /** Points of the size curve when M is large: all k if M <= this, else a near-geometric grid with this many k (default 64). */
  sizeCurveMaxPoints?: number;
  /** Greedy-order steps are capped so that steps * M * N <= this (default 2e7); the order is complete when M*M*N fits. */
  greedyBudget?: number;
  /** Fraction of samples used to select (Caruana); the rest evaluates (default 0.5). */
  selectionFraction?: number;
  /** If >= 2, K-fold cross-validated selection instead of one split (default 0). */
  selectionFolds?: number;
  /** Loss optimised by ensemble selection (default 'nll' for classification, 'rmse' for regression). */
  selectionMetric?: 'nll' | 'accuracy' | 'rmse';
  /** Greedy steps of ensemble selection (default min(100, max(20, 2M))). */
  selectionSteps?: number;
  /** Folds of the stacking cross-validation (default 5). */
  stackingFolds?: number;
  /** Ridge / L2 strengths tried by the stacking CV, penalty on the summed loss as in scikit-learn (default [0.01, 0.1, 1, 10, 100]). */
  stackingAlphas?: number[];
  /** Remove redundant members (redundancy clusters) before stacking (default true). */
  stackingPrune?: boolean;
  /** At most this many members (best NLL/RMSE first) enter stacking (default 8). */
  stackingMaxMembers?: number;
  /** At most this many samples (seeded subsample) are used by stacking (default 1000). */
  stackingMaxSamples?: number;
  /** Length of each top-k list in `samples` and `uncertainty` (default 50). */
  topSamples?: number;
  /** Pairwise divergences (symmetric KL, JS) use a seeded sample subset when pairs * N * C exceeds this (default 1e8). */
  divergenceBudget?: number;
  /** Random-order size curves use a seeded sample subset when orders * M * N * C exceeds this (default 2.5e8). */
  sizeCurveBudget?: number;
  /** Members considered per ensemble-selection step: the best this many by their own selection-split loss (default 64). */
  selectionLibrarySize?: number;
  /** Diagnostics: when given, filled with wall-clock milliseconds per phase (not part of the report). */
  timings?: Record<string, number>;
}

/** A value that may be undefined for the data at hand (see docs/metrics.md for each case). */
export type Maybe = number | null;

/** Per-bin reliability statistics (bin b covers (b/B, (b+1)/B]; confidence 0 falls in bin 0). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: Maybe;
  accuracy: Maybe;
}

/** Classification metrics of one member or of the ensemble. */
export interface ClassificationMetrics {
  accuracy: number;
  /** Mean -ln max(p(true), 1e-12). */
  nll: number;
  /** Mean over samples of sum_c (p_c - y_c)^2, in [0, 2]. */
  brier: number;
  top2Accuracy: number;
  ece: number;
  mce: number;
  /** Recall per class; null for a class without test samples. */
  perClassAccuracy: Maybe[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

export interface MemberClassification {
  id: string;
  metrics: ClassificationMetrics;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  /** 1 - SSE/SST; null when the labels are constant. */
  r2: Maybe;
  /** Mean of (prediction - label). */
  bias: number;
}

export interface MemberRegression {
  id: string;
  metrics: RegressionMetrics;
}

/** A square matrix in member order (rows and columns follow `memberIds`). */
export type PairMatrix = Maybe[][];

/** Diversity of a classification ensemble; formulas and null cases in docs/metrics.md#diversity. */
export interface ClassificationDiversity {
  memberIds: string[];
  /** (N01 + N10) / N from the oracle 2x2 table. */
  disagreement: PairMatrix;
  /** Yule's Q; null when N11 N00 + N01 N10 = 0. */
  qStatistic: PairMatrix;
  /** Phi coefficient of the oracle outputs; null when a member is always right or always wrong. */
  correlation: PairMatrix;
  /** N00 / N. */
  doubleFault: PairMatrix;
  /** Cohen's kappa between the predicted labels; null when both always predict the same single class. */
  kappa: PairMatrix;
  /** Mean over samples of KL(p_i||p_j) + KL(p_j||p_i), nats. */
  symmetricKL: PairMatrix;
  /** Mean over samples of the Jensen-Shannon divergence, nats (<= ln 2). */
  jensenShannon: PairMatrix;
  /** Pearson correlation of the error signals 1 - p(true); null for a constant signal. */
  errorCorrelation: PairMatrix;
  /** Samples the divergence matrices are averaged over (N unless the divergence budget forced a subsample). */
  divergenceSampleCount: number;
  /** Means over pairs i < j of each matrix, nulls skipped (null when no pair is defined). */
  average: {
    disagreement: Maybe; qStatistic: Maybe; correlation: Maybe; doubleFault: Maybe; kappa: Maybe;
    symmetricKL: Maybe; jensenShannon: Maybe; errorCorrelation: Maybe;
  };
  /** Fraction of samples some member classifies correctly. */
  oracleAccuracy: number;
  kohaviWolpertVariance: number;
  /** Null for one member or mean accuracy 0 or 1. */
  interraterKappa: Maybe;
  /** Kuncheva & Whitaker's entropy measure E; null for one member. */
  entropy: Maybe;
  /** Partridge & Krzanowski's GD; null for one member or when no member ever fails. */
  generalizedDiversity: Maybe;
  /** Variance over samples of the fraction of members correct (Kuncheva & Whitaker's theta). */
  difficulty: number;
  /** Average member NLL minus NLL of the mean-combined ensemble. */
  jensenGap: number;
  brierDecomposition: { averageMemberBrier: number; diversity: number; ensembleBrier: number };
}

export interface RegressionDiversity {
  memberIds: string[];
  /** Krogh & Vedelsby, with the combination weights: ensembleSquaredError = averageMemberSquaredError - averageAmbiguity. */
  ambiguity: { ensembleSquaredError: number; averageMemberSquaredError: number; averageAmbiguity: number };
  residualCorrelation: PairMatrix;
  averageResidualCorrelation: Maybe;
}

/** A sample index with the value it was ranked by. */
export interface RankedSample {
  index: number;
  value: number;
}

export interface ClassificationUncertainty {
  meanTotal: number;
  meanAleatoric: number;
  meanEpistemic: number;
  topByTotal: RankedSample[];
  topByMutualInformation: RankedSample[];
}

export interface RegressionUncertainty {
  /** Mean energy-form CRPS of the members as an empirical distribution. */
  crps: number;
  /** sqrt(mean unbiased member variance). */
  spread: Maybe;
  /** RMSE of the combined prediction. */
  skill: number;
  spreadSkillRatio: Maybe;
  /** sqrt((M+1)/M) * spread / skill: ~1 for a statistically consistent ensemble. */
  correctedSpreadSkillRatio: Maybe;
  topBySpread: RankedSample[];
}

export interface ClassificationCalibration {
  bins: number;
  ensemble: { ece: number; mce: number; bins: CalibrationBin[] };
  members: { id: string; ece: number; mce: number; bins: CalibrationBin[] }[];
}

export interface RegressionCalibration {
  /** Talagrand histogram: counts[r] = samples whose label has rank r among the M members (M+1 bins). */
  rankHistogram: { counts: number[]; chiSquare: number; degreesOfFreedom: number; reliabilityIndex: number };
}

/** Summary of a metric over random orders at one ensemble size. */
export interface CurvePoint {
  k: number;
  mean: number;
  std: number;
  p10: number;
  p90: number;
}

export interface Contributions {
  /** Metric names in the curves: ['accuracy', 'nll'] or ['rmse']. */
  sizeCurve: {
    orders: number;
    /** Samples the random-order curves are computed on (N unless sizeCurveBudget forced a subsample). */
    sampleCount: number;
    random: Record<string, CurvePoint[]>;
    greedy: { order: string[]; values: Record<string, number[]>; complete: boolean };
    /** Smallest k whose random-order mean reaches `fraction` of the improvement from k=1 to k=M (of `metric`). */
    diminishingReturns: { metric: string; fraction: number; k: number };
  };
  leaveOneOut: { id: string; values: Record<string, number>; delta: Record<string, number> }[];
  /** Samples only this member gets right (classification; null for regression). */
  uniqueCorrect: { id: string; count: number }[] | null;
  redundancy: { threshold: number; clusters: { members: string[]; kept: string }[]; pruned: string[] };
  seedGroups: { group: string; members: string[]; metrics: Record<string, { mean: number; std: Maybe }> }[];
}

export interface SelectionRun {
  trajectory: { step: number; added: string; score: number }[];
  bestStep: number;
  /** Member id -> selection count / total at the best step (members never selected are omitted). */
  weights: Record<string, number>;
  /** Scores on the held-out part: selected ensemble vs plain average of all members. */
  heldOut: { selected: Record<string, number>; simpleAverage: Record<string, number> };
}

export interface Selection {
  metric: 'nll' | 'accuracy' | 'rmse';
  mode: 'split' | 'cv';
  /** One run (split) or one per fold (cv). */
  runs: SelectionRun[];
  /** Mean of the held-out scores over runs. */
  heldOut: { selected: Record<string, number>; simpleAverage: Record<string, number> };
}

export interface Stacking {
  model: 'ridge' | 'logPool';
  members: string[];
  pruned: string[];
  sampleCount: number;
  folds: number;
  alphas: number[];
  /** Mean CV score (NLL or RMSE) per alpha. */
  cvScores: Maybe[];
  alpha: number;
  /** Fitted on all (sub)samples with the chosen alpha. */
  weights: Record<string, number>;
  intercept: number[];
  cvScore: number;
  simpleAverageScore: number;
  conditionNumberBefore: Maybe;
  conditionNumberAfter: Maybe;
}

export interface SampleView {
  index: number;
  label: number;
  ensemblePredicted: number;
  value: number;
  memberPredicted: number[];
  memberPTrue: number[];
}

export interface ClassificationSamples {
  disagreement: number[];
  mutualInformation: number[];
  totalEntropy: number[];
  ensemblePredicted: number[];
  ensembleCorrect: boolean[];
  byDisagreement: SampleView[];
  byMutualInformation: SampleView[];
  ensembleWrongSomeRight: SampleView[];
  ensembleRightMostWrong: SampleView[];
}

export interface RegressionSamples {
  ensemblePrediction: number[];
  spread: number[];
  absoluteError: number[];
  byAbsoluteError: RankedSample[];
}

export interface ClassificationAnalysis {
  task: 'classification';
  nTest: number;
  numClasses: number;
  combine: CombineSpec;
  members: MemberClassification[];
  ensemble: ClassificationMetrics;
  diversity: ClassificationDiversity;
  uncertainty: ClassificationUncertainty;
  calibration: ClassificationCalibration;
  contributions: Contributions;
  selection: Selection;
  stacking: Stacking;
  samples: ClassificationSamples;
}

export interface RegressionAnalysis {
  task: 'regression';
  nTest: number;
  numClasses: 1;
  combine: CombineSpec;
  members: MemberRegression[];
  ensemble: RegressionMetrics;
  diversity: RegressionDiversity;
  uncertainty: RegressionUncertainty;
  calibration: RegressionCalibration;
  contributions: Contributions;
  selection: Selection;
  stacking: Stacking;
  samples: RegressionSamples;
}

export type EnsembleAnalysis = ClassificationAnalysis | RegressionAnalysis;
