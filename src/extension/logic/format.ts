// Text the editor shows: after-line annotations, tree descriptions, hover/tooltip tables.
// Pure (no vscode) so it is unit-tested; numbers are formatted the same way everywhere.
import type { MemberView, EnsembleView } from './memberView';

/** Which numbers an annotation shows, in order (setting `ensembleLens.annotations.metrics`). */
export type AnnotationField = 'accuracy' | 'nll' | 'brier' | 'ece' | 'loo' | 'rho' | 'rmse' | 'mae';

export const DEFAULT_FIELDS: AnnotationField[] = ['accuracy', 'nll', 'loo', 'rho', 'rmse'];

/** `0.9712` -> `97.1%`. */
export function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** A signed percentage-point change: `-0.004` -> `-0.4%`, `0` -> `±0.0%`. */
export function signedPct(x: number): string {
  const v = x * 100;
  const s = v.toFixed(1);
  if (s === '0.0' || s === '-0.0') return '±0.0%';
  return v > 0 ? `+${s}%` : `${s}%`;
}

/** A metric value with about 2-3 significant digits: 0.0912 -> 0.091, 1.234 -> 1.23, 123.4 -> 123. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 0.1) return x.toFixed(2);
  if (a >= 0.001) return x.toFixed(3);
  return x.toExponential(1);
}

/** Signed number for deltas: +0.012, -0.30. */
export function signedNum(x: number): string {
  const s = num(x);
  return x > 0 ? `+${s}` : s;
}

const LABELS: Record<string, string> = {
  accuracy: 'acc',
  nll: 'NLL',
  brier: 'Brier',
  ece: 'ECE',
  rmse: 'RMSE',
  mae: 'MAE',
};

/** One metric as `acc 97.1%` / `NLL 0.09`; undefined when the metric is absent. */
export function metricText(name: string, metrics: Record<string, number> | undefined): string | undefined {
  const v = metrics?.[name];
  if (v === undefined || v === null || !Number.isFinite(v)) return undefined;
  const label = LABELS[name] ?? name;
  return name === 'accuracy' ? `${label} ${pct(v)}` : `${label} ${num(v)}`;
}

/** The key numbers of a member: `acc 97.1% · NLL 0.09 · LOO -0.4% · ρmax 0.96 mlp#2`. */
export function metricsLine(v: MemberView, fields: AnnotationField[] = DEFAULT_FIELDS): string {
  const parts: string[] = [];
  for (const f of fields) {
    if (f === 'loo') {
      if (v.loo) parts.push(`LOO ${v.loo.metric === 'accuracy' ? signedPct(v.loo.delta) : signedNum(v.loo.delta)}`);
    } else if (f === 'rho') {
      if (v.closest) parts.push(`ρmax ${v.closest.rho.toFixed(2)} ${v.closest.id}`);
    } else {
      const t = metricText(f, v.metrics);
      if (t) parts.push(t);
    }
  }
  return parts.join(' · ');
}

/** What an excluded member's line says first. */
export const EXCLUDED = 'excluded from selection';

/** What follows a member's line: its status, then its numbers when it has any. */
export function annotationText(v: MemberView, fields: AnnotationField[] = DEFAULT_FIELDS): string {
  if (v.excluded) {
    // Its own numbers stay (nothing relative to the ensemble: it is not in it).
    const own = v.status === 'trained' ? metricsLine(v, fields) : annotationText({ ...v, excluded: false }, fields);
    return own ? `${EXCLUDED} · ${own}` : EXCLUDED;
  }
  const numbers = metricsLine(v, fields);
  switch (v.status) {
    case 'training': {
      const e = v.epoch;
      return e ? `training ${e.epoch}/${e.epochs} · loss ${num(e.loss)}${e.accuracy !== undefined ? ` · acc ${pct(e.accuracy)}` : ''}` : 'training…';
    }
    case 'queued':
      return 'queued';
    case 'failed':
      return `failed: ${firstLine(v.message ?? 'unknown error')}`;
    case 'stale':
      return numbers ? `stale (spec changed) · was ${numbers}` : 'stale (spec changed): train to update';
    case 'not-trained':
      return 'not trained';
    case 'trained':
      return numbers || 'trained';
  }
}

/** The annotation of a `repeat` group's line: one entry, several members. */
export function groupAnnotationText(all: MemberView[], fields: AnnotationField[] = DEFAULT_FIELDS): string {
  if (all.length === 1) return annotationText(all[0], fields);
  const head = `${all[0].groupId} ×${all.length}`;
  const out = all.filter((m) => m.excluded).length;
  // Numbers are over the selected members; the group's excluded members are counted at the end.
  const members = out === all.length ? all.map((m) => ({ ...m, excluded: false })) : all.filter((m) => !m.excluded);
  const body = groupNumbers(members, fields);
  if (out === all.length) return `${head} · ${EXCLUDED} · ${body}`;
  return out ? `${head} · ${body} · ${out} ${EXCLUDED}` : `${head} · ${body}`;
}

/** A group's mean ± sd of each field over its trained members, or its status counts. */
function groupNumbers(members: MemberView[], fields: AnnotationField[]): string {
  const trained = members.filter((m) => m.status === 'trained' && m.metrics);
  const counts = statusCounts(members);
  if (trained.length === 0) return counts;
  const parts: string[] = [];
  for (const f of fields) {
    if (f === 'loo' || f === 'rho') continue;
    const vals = trained.map((m) => m.metrics?.[f]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    if (vals.length === 0) continue;
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, vals.length - 1));
    const label = LABELS[f] ?? f;
    parts.push(f === 'accuracy' ? `${label} ${pct(mean)} ±${(sd * 100).toFixed(1)}` : `${label} ${num(mean)} ±${num(sd)}`);
  }
  const rho = trained.map((m) => m.closest).filter((c): c is { id: string; rho: number } => !!c);
  if (fields.includes('rho') && rho.length) {
    const top = rho.reduce((a, b) => (b.rho > a.rho ? b : a));
    parts.push(`ρmax ${top.rho.toFixed(2)}`);
  }
  const tail = trained.length === members.length ? '' : ` · ${counts}`;
  return `${parts.join(' · ')}${tail}`;
}

/** `2 trained, 1 stale` in a fixed order. */
export function statusCounts(members: MemberView[]): string {
  const order = ['trained', 'training', 'queued', 'stale', 'failed', 'not-trained'] as const;
  const parts: string[] = [];
  for (const s of order) {
    const n = members.filter((m) => m.status === s).length;
    if (n) parts.push(`${n} ${s === 'not-trained' ? 'not trained' : s}`);
  }
  return parts.join(', ');
}

/** The ensemble's line: `ensemble acc 98.0% · NLL 0.07 · 5/5 trained`. */
export function ensembleAnnotationText(e: EnsembleView, fields: AnnotationField[] = DEFAULT_FIELDS): string {
  const parts: string[] = [];
  for (const f of fields) {
    const t = metricText(f, e.metrics);
    if (t) parts.push(t);
  }
  const selected = e.selection ? ` · ${e.selection.selected} of ${e.selection.of} selected` : '';
  const trained = `${e.trained}/${e.total} trained${selected}`;
  if (e.training > 0) return `ensemble · training: ${e.done}/${e.running} done`;
  if (parts.length === 0) return `ensemble · ${trained}`;
  return `ensemble ${parts.join(' · ')} · ${trained}${e.stale ? ' (results stale)' : ''}`;
}

/** Tree item description: the key numbers or the status. */
export function treeDescription(v: MemberView): string {
  if (v.status === 'trained' && !v.excluded) return metricsLine(v, ['accuracy', 'nll', 'rmse']) || 'trained';
  return annotationText(v, ['accuracy', 'nll', 'rmse']);
}

function firstLine(s: string): string {
  const line = s.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** Escapes text for a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/([*_`[\]<>])/g, '\\$1');
}

const TABLE_METRICS: Record<'classification' | 'regression', string[]> = {
  classification: ['accuracy', 'nll', 'brier', 'ece'],
  regression: ['rmse', 'mae'],
};

/** A Markdown table of members against the ensemble (hover and tooltip). */
export function metricTable(members: MemberView[], ensemble: EnsembleView | undefined, task: 'classification' | 'regression'): string {
  const names = TABLE_METRICS[task];
  const head = `| | status | ${names.map((n) => LABELS[n] ?? n).join(' | ')} | LOO | closest (ρ) |`;
  const sep = `|---|---|${names.map(() => '---:').join('|')}|---:|---|`;
  const rows = members.map((m) => {
    const cells = names.map((n) => cellValue(n, m.metrics));
    const loo = m.loo ? (m.loo.metric === 'accuracy' ? signedPct(m.loo.delta) : signedNum(m.loo.delta)) : '';
    const closest = m.closest ? `${mdCell(m.closest.id)} (${m.closest.rho.toFixed(2)})` : '';
    return `| **${mdCell(m.id)}** | ${statusWord(m)} | ${cells.join(' | ')} | ${loo} | ${closest} |`;
  });
  if (ensemble) {
    rows.push(`| *ensemble* | ${ensemble.trained}/${ensemble.total} | ${names.map((n) => cellValue(n, ensemble.metrics)).join(' | ')} | | |`);
  }
  return [head, sep, ...rows].join('\n');
}

function cellValue(name: string, metrics: Record<string, number> | undefined): string {
  const v = metrics?.[name];
  if (v === undefined || v === null || !Number.isFinite(v)) return '–';
  return name === 'accuracy' ? pct(v) : num(v);
}

/** A short status word with the health when trained. */
export function statusWord(m: MemberView): string {
  if (m.excluded) return m.status === 'trained' ? 'excluded' : `excluded, ${statusWord({ ...m, excluded: false })}`;
  if (m.status === 'trained') return m.health && m.health !== 'helping' ? m.health : 'trained';
  if (m.status === 'training' && m.epoch) return `training ${m.epoch.epoch}/${m.epoch.epochs}`;
  return m.status === 'not-trained' ? 'not trained' : m.status;
}
