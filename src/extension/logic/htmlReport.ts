// A small self-contained HTML page of a report (members vs ensemble, findings) for Export Report.
// No scripts and no network; the dashboard's richer HTML export replaces it once it lands.
import type { EnsembleReport } from '../../core/report';
import type { Finding } from './findings';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function cell(name: string, v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '<td class="n">–</td>';
  return `<td class="n">${name === 'accuracy' ? `${(v * 100).toFixed(2)}%` : v.toFixed(4)}</td>`;
}

/** The HTML document for a report. */
export function reportHtml(report: EnsembleReport, findings: Finding[]): string {
  const task = report.config.task;
  const names = task === 'regression' ? ['rmse', 'mae', 'r2'] : ['accuracy', 'nll', 'brier', 'ece'];
  const rows = report.members
    .map((m) => {
      const metrics = (m.metrics ?? {}) as unknown as Record<string, unknown>;
      return `<tr><th>${esc(m.id)}</th><td>${esc(m.kind)}</td><td>${esc(m.state)}</td>${names.map((n) => cell(n, metrics[n])).join('')}</tr>`;
    })
    .join('\n');
  const ens = (report.ensemble.metrics ?? {}) as unknown as Record<string, unknown>;
  const ensRow = `<tr class="ens"><th>ensemble</th><td>${esc(report.config.combine.method)}</td><td>${report.ensemble.members.length} members</td>${names.map((n) => cell(n, ens[n])).join('')}</tr>`;
  const list = findings.length ? `<h2>Findings</h2><ul>${findings.map((f) => `<li class="${f.severity}">${esc(f.message)}</li>`).join('')}</ul>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(report.config.name)} — Ensemble Lens report</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222;background:#fff}
@media (prefers-color-scheme:dark){body{color:#ddd;background:#1e1e1e}th,td{border-color:#444!important}}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.ens{font-weight:bold}li.warning{color:#b58900}li.error{color:#d33}
</style></head><body>
<h1>${esc(report.config.name)}</h1>
<p>${esc(report.config.file)} · ${esc(task)} · ${esc(report.data.source)} (${report.data.nTest} test samples) · generated ${esc(report.generatedAt)} by ${esc(report.tool.name)} ${esc(report.tool.version)}${report.backend ? ` · backend ${esc(report.backend)}` : ''}</p>
<table><thead><tr><th>member</th><th>kind</th><th>state</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
${ensRow}
</tbody></table>
${list}
</body></html>
`;
}
