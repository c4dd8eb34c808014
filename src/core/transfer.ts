// Adversarial transferability between members: the result model (`TransferabilityResult`, what
// `ensemble-lens attack --json` writes and what joins the report under `transferability`) and pure
// summaries of it. Computed by src/engine/attack/; documented in docs/transferability.md. Pure.

export const TRANSFER_FORMAT = 'ensemble-lens-transferability';
export const TRANSFER_VERSION = 1;

/** How a column is evaluated. */
export type ColumnKind = 'differentiable' | 'black-box' | 'ensemble';

/** The attack as it ran, with every default applied. */
export interface AttackProtocol {
  attack: 'fgsm' | 'pgd';
  norm: 'linf' | 'l2';
  /** The epsilon of `matrix`, `ensembleAttacks` and `leaveOneOut` (the first configured one). */
  epsilon: number;
  /** Every configured epsilon; more than one gives `sweeps`. */
  epsilons: number[];
  steps: number;
  stepSize: number;
  randomStart: boolean;
  restarts: number;
  targeted: boolean;
  /** Targeted: 'fixed' uses `targetClass` for every sample; 'next' uses (label + 1) mod classes. */
  targetRule?: 'fixed' | 'next';
  targetClass?: number;
  /** Samples in the pool (test samples every evaluable member classifies correctly). */
  poolSize: number;
  /** The configured maximum. */
  poolRequested: number;
  /** Test samples examined to fill the pool. */
  candidates: number;
  seed: number;
  /** Input bounds every adversarial example is clipped to. */
  bounds: {
    /** 'images': [0,1]; 'data': per-feature min/max of the training data; 'config': `data.bounds`. */
    source: 'images' | 'data' | 'config';
    min: number;
    max: number;
    /** Per-feature bounds, only for inputs of at most 64 features. */
    lower?: number[];
    upper?: number[];
  };
  /** How the combined ensemble column combines members. */
  ensembleCombine: 'mean-probability';
  backend: string;
}

/** One attack against a set of surrogates, evaluated on every column. */
export interface AttackRow {
  /** Members the attack had gradients of. */
  surrogates: string[];
  /** Fooled fraction per column (same order as `columns`). */
  rates: number[];
  counts: number[];
}

/**
 * Leave-one-out transfer: ENS on every differentiable member but `heldOut`, measured on `heldOut`.
 * A black-box (ONNX) member is never a surrogate: its entry is ENS on every differentiable member.
 */
export interface LeaveOneOutEntry {
  heldOut: string;
  surrogates: string[];
  rate: number;
  count: number;
  /** The same examples on the combined ensemble (which contains the held-out member). */
  ensembleRate: number;
}

/** The matrix at one epsilon. */
export interface SweepPoint {
  epsilon: number;
  matrix: number[][];
  counts: number[][];
  meanOffDiagonal: number | null;
  /** Per row: the rate on the combined ensemble. */
  ensembleRates: number[];
  /** Ensemble attacks at this epsilon, by name: rates per column. */
  ensembleAttacks: Record<string, number[]>;
}

/** What a member predicts for one gallery sample. */
export interface GalleryPrediction {
  column: string;
  clean: { label: number; confidence: number };
  adversarial: { label: number; confidence: number };
}

/** One image sample: original / adversarial / perturbation as PNG data URLs. */
export interface GalleryImage {
  testIndex: number;
  label: number;
  target?: number;
  original: string;
  adversarial: string;
  /** The perturbation mapped to [0,1] by 0.5 + delta / (2 max|delta|): grey = unchanged. */
  perturbation: string;
  /** max|delta| (the scale of `perturbation`) and the L2 norm of delta. */
  linf: number;
  l2: number;
  predictions: GalleryPrediction[];
}

/** One 2-D point and its adversarial move. */
export interface GalleryPoint {
  testIndex: number;
  label: number;
  x: [number, number];
  adversarial: [number, number];
  /** Per column: the adversarial point fools it. */
  fooled: boolean[];
}

export type Gallery =
  | { kind: 'images'; width: number; height: number; channels: number; bySource: Record<string, GalleryImage[]> }
  | { kind: 'points'; bySource: Record<string, GalleryPoint[]> }
  | { kind: 'none'; reason: string };

export interface TransferabilityResult {
  format: typeof TRANSFER_FORMAT;
  version: typeof TRANSFER_VERSION;
  /** Source member ids (differentiable members), one per row. */
  rows: string[];
  /** Target ids: every evaluable member, then 'ensemble'. */
  columns: string[];
  columnKinds: ColumnKind[];
  /** matrix[i][j]: fraction of the pool on which examples crafted on rows[i] fool columns[j]. */
  matrix: number[][];
  /** counts[i][j]: the fooled samples behind matrix[i][j] (out of protocol.poolSize). */
  counts: number[][];
  protocol: AttackProtocol;
  ensembleAttacks: { ens?: AttackRow; cwa?: AttackRow; adaea?: AttackRow };
  leaveOneOut: LeaveOneOutEntry[];
  /** One point per configured epsilon (empty with a single epsilon). */
  sweeps: SweepPoint[];
  gallery: Gallery;
  /** Members not in the matrix, and why. */
  skipped: { id: string; reason: string }[];
  summary: TransferSummary;
  /** Test indices of the pool, in pool order. */
  pool: number[];
  millis: number;
  /** The cache key the result is stored under. */
  key: string;
}

/** A source -> target pair and its transfer rate. */
export interface TransferPair {
  source: string;
  target: string;
  rate: number;
}

export interface TransferSummary {
  /** Mean of the member-to-other-member entries (lower: more diverse vulnerabilities); null with fewer than 2 members. */
  meanOffDiagonal: number | null;
  /** Mean white-box success (the diagonal). */
  whiteBoxMean: number | null;
  /** Mean over rows of the rate on the combined ensemble. */
  ensembleMean: number | null;
  mostTransferable: TransferPair | null;
  leastTransferable: TransferPair | null;
}

/** The off-diagonal member pairs (source row, target member column other than the source). */
export function offDiagonalPairs(rows: string[], columns: string[], matrix: number[][], kinds?: ColumnKind[]): TransferPair[] {
  const out: TransferPair[] = [];
  rows.forEach((source, i) => {
    columns.forEach((target, j) => {
      if (target === source || (kinds ? kinds[j] === 'ensemble' : target === 'ensemble')) return;
      out.push({ source, target, rate: matrix[i][j] });
    });
  });
  return out;
}

/** Mean off-diagonal transfer rate; null when there is no off-diagonal pair. */
export function meanOffDiagonal(rows: string[], columns: string[], matrix: number[][], kinds?: ColumnKind[]): number | null {
  const pairs = offDiagonalPairs(rows, columns, matrix, kinds);
  return pairs.length ? pairs.reduce((s, p) => s + p.rate, 0) / pairs.length : null;
}

/** Pairs sorted by rate, highest first (ties by source then target id, so the order is stable). */
export function rankPairs(rows: string[], columns: string[], matrix: number[][], kinds?: ColumnKind[]): TransferPair[] {
  return offDiagonalPairs(rows, columns, matrix, kinds).sort(
    (a, b) => b.rate - a.rate || a.source.localeCompare(b.source) || a.target.localeCompare(b.target),
  );
}

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null;
}

/** The headline numbers of a matrix. */
export function summarizeMatrix(rows: string[], columns: string[], matrix: number[][], kinds?: ColumnKind[]): TransferSummary {
  const ranked = rankPairs(rows, columns, matrix, kinds);
  const diag: number[] = [];
  rows.forEach((r, i) => {
    const j = columns.indexOf(r);
    if (j >= 0) diag.push(matrix[i][j]);
  });
  const ensCol = kinds ? kinds.indexOf('ensemble') : columns.indexOf('ensemble');
  return {
    meanOffDiagonal: mean(ranked.map((p) => p.rate)),
    whiteBoxMean: mean(diag),
    ensembleMean: ensCol >= 0 ? mean(matrix.map((row) => row[ensCol])) : null,
    mostTransferable: ranked[0] ?? null,
    leastTransferable: ranked[ranked.length - 1] ?? null,
  };
}

/** One line of the epsilon sweep table. */
export interface SweepRow {
  epsilon: number;
  meanOffDiagonal: number | null;
  whiteBoxMean: number | null;
  ensembleMean: number | null;
  /** Per ensemble attack: its rate on the combined ensemble column. */
  ensembleAttacks: Record<string, number>;
}

/** Transfer rate vs epsilon, sorted by epsilon. */
export function sweepTable(result: Pick<TransferabilityResult, 'rows' | 'columns' | 'columnKinds' | 'sweeps'>): SweepRow[] {
  const ensCol = result.columnKinds.indexOf('ensemble');
  return [...result.sweeps]
    .sort((a, b) => a.epsilon - b.epsilon)
    .map((s) => {
      const sum = summarizeMatrix(result.rows, result.columns, s.matrix, result.columnKinds);
      const attacks: Record<string, number> = {};
      for (const [name, rates] of Object.entries(s.ensembleAttacks)) if (ensCol >= 0) attacks[name] = rates[ensCol];
      return { epsilon: s.epsilon, meanOffDiagonal: sum.meanOffDiagonal, whiteBoxMean: sum.whiteBoxMean, ensembleMean: sum.ensembleMean, ensembleAttacks: attacks };
    });
}

/** A fixed-width text rendering of the matrix (the CLI prints it). */
export function formatMatrix(result: Pick<TransferabilityResult, 'rows' | 'columns' | 'matrix'>, digits = 2): string {
  const corner = 'source \\ target';
  const first = Math.max(corner.length, ...result.rows.map((r) => r.length)) + 2;
  const w = Math.max(digits + 3, ...result.columns.map((c) => c.length)) + 2;
  const head = corner.padEnd(first) + result.columns.map((c) => c.padStart(w)).join('');
  const lines = result.rows.map((r, i) => r.padEnd(first) + result.matrix[i].map((v) => v.toFixed(digits).padStart(w)).join(''));
  return [head, ...lines].join('\n');
}
