// The snapshot as the views read it: typed arrays decoded lazily (only the views that need them pay),
// the ensemble's combined probabilities, and task-specific narrowing of the report's sections.
import type { ClassificationAnalysis, RegressionAnalysis } from '../src/core/analysis/types';
import type { EnsembleReport, ReportMember } from '../src/core/report';
import type { TransferabilityResult } from '../src/core/transfer';
import type { DashboardSnapshot, TrainingProgress } from '../src/core/webviewProtocol';

/** Decodes base64 with the browser's own decoder. */
export function decodeBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function decodeFloat32(b64: string): Float32Array {
  const b = decodeBytes(b64);
  return new Float32Array(b.buffer, 0, b.length >> 2);
}

type SectionKey = 'diversity' | 'uncertainty' | 'calibration' | 'contributions' | 'selection' | 'stacking' | 'samples';
export type ClsSections = Partial<Pick<ClassificationAnalysis, SectionKey>>;
export type RegSections = Partial<Pick<RegressionAnalysis, SectionKey>>;

export class SnapshotData {
  readonly report: EnsembleReport;
  readonly task: 'classification' | 'regression';
  /** Members in the analysis (state 'ok'), in config order. */
  readonly memberIds: string[];
  readonly nTest: number;
  readonly numClasses: number;
  private cache = new Map<string, Float32Array | Uint8Array>();
  training: TrainingProgress | undefined;

  constructor(readonly snap: DashboardSnapshot) {
    this.report = snap.report;
    this.task = snap.report.config.task;
    this.memberIds = snap.report.ensemble.members.length ? snap.report.ensemble.members : snap.outputs?.memberIds ?? [];
    this.nTest = snap.report.data.nTest;
    this.numClasses = snap.report.data.numClasses;
    this.training = snap.training;
  }

  /** True when the analysis sections are present. */
  get analysed(): boolean {
    return this.report.ensemble.metrics !== null && this.report.diversity !== undefined;
  }

  /** Classification sections (undefined for regression or without analysis). */
  get cls(): ClsSections | undefined {
    return this.task === 'classification' ? (this.report as ClsSections) : undefined;
  }

  get reg(): RegSections | undefined {
    return this.task === 'regression' ? (this.report as RegSections) : undefined;
  }

  get transfer(): TransferabilityResult | undefined {
    const t = this.report.transferability as Partial<TransferabilityResult> | undefined;
    return t && Array.isArray(t.rows) && Array.isArray(t.columns) && Array.isArray(t.matrix) ? (t as TransferabilityResult) : undefined;
  }

  member(id: string): ReportMember | undefined {
    return this.report.members.find((m) => m.id === id);
  }

  get hasOutputs(): boolean {
    return this.snap.outputs !== undefined && this.snap.outputs.nTest === this.nTest;
  }

  private memo<T extends Float32Array | Uint8Array>(key: string, make: () => T): T {
    let v = this.cache.get(key) as T | undefined;
    if (!v) {
      v = make();
      this.cache.set(key, v);
    }
    return v;
  }

  /** Test labels (from the outputs). */
  labels(): Float32Array | undefined {
    const o = this.snap.outputs;
    return o ? this.memo('labels', () => decodeFloat32(o.labels)) : undefined;
  }

  /** Outputs of one member, nTest * numClasses. */
  values(id: string): Float32Array | undefined {
    const o = this.snap.outputs;
    const i = o ? o.memberIds.indexOf(id) : -1;
    return o && i >= 0 ? this.memo(`v:${id}`, () => decodeFloat32(o.values[i])) : undefined;
  }

  /** The ensemble's combined outputs under the config's combine rule. */
  ensembleValues(): Float32Array | undefined {
    const o = this.snap.outputs;
    if (!o) return undefined;
    return this.memo('ensemble', () => combineOutputs(
      this.memberIds.filter((id) => o.memberIds.includes(id)).map((id) => ({ id, values: this.values(id) as Float32Array })),
      o.nTest,
      o.numClasses,
      this.report.config.combine,
      this.task,
    ));
  }

  /** Image pixels (0..255), or undefined for tabular data. */
  pixels(): Uint8Array | undefined {
    const i = this.snap.inputs;
    return i?.kind === 'image' ? this.memo('pixels', () => decodeBytes(i.pixels)) : undefined;
  }

  features(): Float32Array | undefined {
    const i = this.snap.inputs;
    return i?.kind === 'features' ? this.memo('features', () => decodeFloat32(i.values)) : undefined;
  }

  gridProbs(id: string): Float32Array | undefined {
    const g = this.snap.grid?.members.find((m) => m.id === id);
    return g ? this.memo(`g:${id}`, () => decodeFloat32(g.probs)) : undefined;
  }
}

/** Mean, weighted mean, or plurality vote (as vote fractions) of members' outputs. */
export function combineOutputs(
  members: { id: string; values: Float32Array }[],
  n: number,
  c: number,
  combine: { method: 'mean' | 'vote' | 'weighted'; weights?: Record<string, number> },
  task: 'classification' | 'regression',
): Float32Array {
  const out = new Float32Array(n * c);
  if (members.length === 0) return out;
  if (combine.method === 'vote' && task === 'classification') {
    for (const m of members) {
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < c; k++) if (m.values[i * c + k] > m.values[i * c + best]) best = k;
        out[i * c + best] += 1 / members.length;
      }
    }
    return out;
  }
  const w = members.map((m) => (combine.method === 'weighted' ? combine.weights?.[m.id] ?? 0 : 1));
  const total = w.reduce((a, b) => a + b, 0) || 1;
  members.forEach((m, j) => {
    const f = w[j] / total;
    if (f === 0) return;
    for (let i = 0; i < out.length; i++) out[i] += f * m.values[i];
  });
  return out;
}

/** Index of the largest value in row i. */
export function argmax(v: ArrayLike<number>, i: number, c: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if (v[i * c + k] > v[i * c + best]) best = k;
  return best;
}
