// The terminal summary of a report: the ensemble vs its best member, per-member table, the most
// redundant pair, the members that help most and least, calibration.
import type { EnsembleReport, MemberMetrics } from '../core/report';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

function isClass(m: MemberMetrics): m is Extract<MemberMetrics, { accuracy: number }> {
  return 'accuracy' in m;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

export function formatSummary(r: EnsembleReport): string {
  const out: string[] = [];
  out.push(`${r.config.name}: ${r.config.task}, ${r.members.length} members, ${r.data.nTest} test samples (${r.data.source})${r.backend ? `, backend ${r.backend}` : ''}`);
  const ok = r.members.filter((m) => m.state === 'ok' && m.metrics && !m.excluded);
  if (r.memberSelection) {
    const excluded = r.members.filter((m) => m.excluded).map((m) => m.id);
    out.push(`  member selection: ${r.memberSelection.length} of ${r.members.length} (excluded: ${excluded.join(', ')})`);
  }
  for (const m of r.members.filter((m) => m.state !== 'ok' && !m.excluded)) out.push(`  ${m.id}: ${m.state}${m.message ? ` (${m.message})` : ''}`);
  const ens = r.ensemble.metrics;
  if (!ens || ok.length === 0) {
    out.push('No member has outputs yet: run `ensemble-lens train` first.');
    return out.join('\n');
  }
  const loo = new Map((r.contributions?.leaveOneOut ?? []).map((l) => [l.id, l.delta]));
  if (isClass(ens)) {
    // LOO gain: ensemble accuracy with the member minus without it (positive = the member helps).
    const rows = [['member', 'accuracy', 'NLL', 'Brier', 'ECE', 'LOO gain']];
    for (const m of ok) {
      const x = m.metrics as typeof ens;
      const d = loo.get(m.id)?.accuracy;
      rows.push([m.id, pct(x.accuracy), num(x.nll), num(x.brier), num(x.ece), d === undefined ? '—' : `${signed(-d * 100, 2)} pts`]);
    }
    rows.push([`ensemble (${r.config.combine.method})`, pct(ens.accuracy), num(ens.nll), num(ens.brier), num(ens.ece), '']);
    out.push('', table(rows), '');
    const best = ok.reduce((a, b) => ((b.metrics as typeof ens).accuracy > (a.metrics as typeof ens).accuracy ? b : a));
    const bm = best.metrics as typeof ens;
    out.push(
      `Ensemble vs best member (${best.id}): accuracy ${pct(ens.accuracy)} vs ${pct(bm.accuracy)} (${signed((ens.accuracy - bm.accuracy) * 100, 2)} pts), NLL ${num(ens.nll)} vs ${num(bm.nll)}`,
    );
  } else {
    // LOO gain: ensemble RMSE without the member minus with it (positive = the member helps).
    const rows = [['member', 'RMSE', 'MAE', 'R²', 'LOO gain']];
    for (const m of ok) {
      const x = m.metrics as typeof ens;
      const d = loo.get(m.id)?.rmse;
      rows.push([m.id, num(x.rmse), num(x.mae), num(x.r2), d === undefined ? '—' : signed(d, 4)]);
    }
    rows.push([`ensemble (${r.config.combine.method})`, num(ens.rmse), num(ens.mae), num(ens.r2), '']);
    out.push('', table(rows), '');
    const best = ok.reduce((a, b) => ((b.metrics as typeof ens).rmse < (a.metrics as typeof ens).rmse ? b : a));
    out.push(`Ensemble vs best member (${best.id}): RMSE ${num(ens.rmse)} vs ${num((best.metrics as typeof ens).rmse)}`);
  }
  const pair = mostRedundantPair(r);
  if (pair) out.push(`Most redundant pair: ${pair.a} and ${pair.b} (error correlation ${pair.rho.toFixed(3)})`);
  const helps = helpRanking(r);
  if (helps) out.push(`Helps most: ${helps.most.id} (${helps.most.text}); helps least: ${helps.least.id} (${helps.least.text})`);
  if (r.calibration && 'ensemble' in r.calibration) {
    const c = r.calibration;
    const worst = c.members.reduce((a, b) => (b.ece > a.ece ? b : a));
    out.push(`Calibration: ensemble ECE ${num(c.ensemble.ece)} (MCE ${num(c.ensemble.mce)}); least calibrated member ${worst.id} (ECE ${num(worst.ece)})`);
  }
  if (r.diversity && 'jensenGap' in r.diversity) out.push(`Diversity: Jensen gap ${num(r.diversity.jensenGap)} nats, mean pairwise disagreement ${num(r.diversity.average.disagreement, 3)}`);
  return out.join('\n');
}

function signed(v: number, d: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(d)}`;
}

/** The pair with the highest error-signal (or residual) correlation. */
export function mostRedundantPair(r: EnsembleReport): { a: string; b: string; rho: number } | undefined {
  const d = r.diversity;
  if (!d) return undefined;
  const m = 'errorCorrelation' in d ? d.errorCorrelation : d.residualCorrelation;
  let best: { a: string; b: string; rho: number } | undefined;
  for (let i = 0; i < d.memberIds.length; i++)
    for (let j = i + 1; j < d.memberIds.length; j++) {
      const v = m[i][j];
      if (v !== null && (!best || v > best.rho)) best = { a: d.memberIds[i], b: d.memberIds[j], rho: v };
    }
  return best;
}

/** Leave-one-out: the member whose removal hurts most (helps most) and least. */
function helpRanking(r: EnsembleReport): { most: { id: string; text: string }; least: { id: string; text: string } } | undefined {
  const loo = r.contributions?.leaveOneOut;
  if (!loo || loo.length < 2) return undefined;
  const key = r.config.task === 'classification' ? 'nll' : 'rmse';
  // delta = metric without the member - metric with all; for a loss, a positive delta means the member helps.
  const sorted = [...loo].sort((a, b) => (b.delta[key] ?? 0) - (a.delta[key] ?? 0));
  const text = (x: (typeof loo)[number]) => `without it ${key.toUpperCase()} ${signed(x.delta[key] ?? 0, 4)}`;
  return { most: { id: sorted[0].id, text: text(sorted[0]) }, least: { id: sorted[sorted.length - 1].id, text: text(sorted[sorted.length - 1]) } };
}
