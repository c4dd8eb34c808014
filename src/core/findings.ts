// Findings from a report: redundant members, members that hurt the ensemble, poorly calibrated
// members, failed members; and per-member partner numbers (closest / most diverse, leave-one-out).
// Pure (no vscode); reads only the documented report fields (docs/report-format.md, docs/metrics.md).
import type { EnsembleReport } from './report';

export type FindingKind = 'redundant' | 'hurting' | 'miscalibrated' | 'failed';

export interface Finding {
  kind: FindingKind;
  memberId: string;
  /** The partner of a redundant member (the one kept). */
  otherId?: string;
  /** ρ for redundancy, ECE for calibration, the metric change for hurting. */
  value?: number;
  severity: 'error' | 'warning' | 'information';
  message: string;
}

/** Per-member numbers derived from the report's pairwise and leave-one-out sections. */
export interface MemberNumbers {
  /** Leave-one-out: the ensemble's metric without this member minus with it (accuracy for classification, RMSE for regression). */
  loo?: { metric: string; delta: number };
  /** The member whose errors correlate most with this one's. */
  closest?: { id: string; rho: number };
  /** The member whose errors correlate least with this one's. */
  diverse?: { id: string; rho: number };
}

export interface FindingOptions {
  /** Error correlation at or above which two members are redundant (setting ensembleLens.redundancyThreshold). Default 0.95. */
  redundancyThreshold?: number;
  /** ECE at or above which a member is poorly calibrated. Default 0.1. */
  poorEce?: number;
  /** Minimum improvement (of NLL or RMSE, relative) for "removing it improves the ensemble". Default 0.002. */
  hurtTolerance?: number;
}

export interface ReportAnalysis {
  findings: Finding[];
  numbers: Map<string, MemberNumbers>;
}

type Matrix = (number | null)[][];

function errorMatrix(report: EnsembleReport): { ids: string[]; m: Matrix } | undefined {
  const d = report.diversity as { memberIds?: string[]; errorCorrelation?: Matrix; residualCorrelation?: Matrix } | undefined;
  const m = d?.errorCorrelation ?? d?.residualCorrelation;
  if (!d?.memberIds || !m) return undefined;
  return { ids: d.memberIds, m };
}

function metricOf(report: EnsembleReport, id: string, name: string): number | undefined {
  const m = report.members.find((x) => x.id === id)?.metrics as Record<string, unknown> | undefined;
  const v = m?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Reads a report into findings and per-member numbers. Members the report marks `excluded` (outside
 * the member selection) get neither: they take no part in the ensemble the findings are about.
 */
export function analyzeReport(report: EnsembleReport, opts: FindingOptions = {}): ReportAnalysis {
  const threshold = opts.redundancyThreshold ?? 0.95;
  const poorEce = opts.poorEce ?? 0.1;
  const tol = opts.hurtTolerance ?? 0.002;
  const task = report.config?.task ?? 'classification';
  const primary = task === 'regression' ? 'rmse' : 'nll';
  const findings: Finding[] = [];
  const numbers = new Map<string, MemberNumbers>();
  const num = (id: string) => {
    let n = numbers.get(id);
    if (!n) numbers.set(id, (n = {}));
    return n;
  };

  const members = report.members.filter((m) => !m.excluded);
  for (const m of members) {
    if (m.state === 'failed') {
      findings.push({ kind: 'failed', memberId: m.id, severity: 'error', message: `${m.id}: training failed: ${m.message ?? 'unknown error'}` });
    }
  }

  const em = errorMatrix(report);
  if (em) {
    const { ids, m } = em;
    for (let i = 0; i < ids.length; i++) {
      let best: { id: string; rho: number } | undefined;
      let worst: { id: string; rho: number } | undefined;
      for (let j = 0; j < ids.length; j++) {
        const r = m[i]?.[j];
        if (i === j || r === null || r === undefined || !Number.isFinite(r)) continue;
        if (!best || r > best.rho) best = { id: ids[j], rho: r };
        if (!worst || r < worst.rho) worst = { id: ids[j], rho: r };
      }
      if (best) num(ids[i]).closest = best;
      if (worst) num(ids[i]).diverse = worst;
    }
    // Greedy clustering, best member first: a member is redundant when it correlates at or above the
    // threshold with a member already kept; only the weaker member of a pair is flagged.
    const quality = (id: string) => metricOf(report, id, primary) ?? Number.POSITIVE_INFINITY;
    const order = ids.map((id, i) => ({ id, i })).sort((a, b) => quality(a.id) - quality(b.id) || a.i - b.i);
    const kept: number[] = [];
    for (const { id, i } of order) {
      let partner: { j: number; rho: number } | undefined;
      for (const j of kept) {
        const r = m[i]?.[j];
        if (r !== null && r !== undefined && r >= threshold && (!partner || r > partner.rho)) partner = { j, rho: r };
      }
      if (!partner) {
        kept.push(i);
        continue;
      }
      const other = ids[partner.j];
      findings.push({
        kind: 'redundant',
        memberId: id,
        otherId: other,
        value: partner.rho,
        severity: 'warning',
        message: `${id} is redundant with ${other} (error correlation ρ = ${partner.rho.toFixed(2)} ≥ ${threshold}): it adds little the ensemble does not already have`,
      });
    }
  }

  const loo = report.contributions?.leaveOneOut ?? [];
  const ens = (report.ensemble?.metrics ?? undefined) as Record<string, unknown> | undefined;
  for (const entry of loo) {
    const show = task === 'regression' ? 'rmse' : 'accuracy';
    const d = entry.delta?.[show];
    if (typeof d === 'number' && Number.isFinite(d)) num(entry.id).loo = { metric: show, delta: d };
    const dp = entry.delta?.[primary];
    const base = typeof ens?.[primary] === 'number' ? (ens[primary] as number) : undefined;
    if (typeof dp !== 'number' || base === undefined || members.length < 3) continue;
    const accOk = task === 'regression' || (entry.delta?.accuracy ?? 0) >= 0;
    if (dp < -tol * Math.max(Math.abs(base), 1e-9) && accOk) {
      const without = entry.values?.[primary] ?? base + dp;
      const accText =
        task === 'classification' && typeof entry.values?.accuracy === 'number' && typeof ens?.accuracy === 'number'
          ? `, accuracy ${((ens.accuracy as number) * 100).toFixed(1)}% → ${(entry.values.accuracy * 100).toFixed(1)}%`
          : '';
      findings.push({
        kind: 'hurting',
        memberId: entry.id,
        value: dp,
        severity: 'warning',
        message: `removing ${entry.id} improves the ensemble: ${primary.toUpperCase()} ${fmt(base)} → ${fmt(without)}${accText}`,
      });
    }
  }

  if (task === 'classification') {
    const ensEce = typeof ens?.ece === 'number' ? (ens.ece as number) : undefined;
    for (const m of members) {
      const ece = metricOf(report, m.id, 'ece');
      if (ece === undefined || ece < poorEce) continue;
      findings.push({
        kind: 'miscalibrated',
        memberId: m.id,
        value: ece,
        severity: 'information',
        message: `${m.id} is poorly calibrated: ECE ${ece.toFixed(3)}${ensEce !== undefined ? ` (ensemble ${ensEce.toFixed(3)})` : ''}`,
      });
    }
  }
  return { findings, numbers };
}

function fmt(x: number): string {
  return Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3);
}

/** The health a finding gives a trained member; the most severe wins. */
export function healthOf(findings: Finding[], id: string): 'helping' | FindingKind {
  const kinds = new Set(findings.filter((f) => f.memberId === id).map((f) => f.kind));
  for (const k of ['failed', 'hurting', 'redundant', 'miscalibrated'] as const) if (kinds.has(k)) return k;
  return 'helping';
}
