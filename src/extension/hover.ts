// Hover on a member's line: its metric table against the ensemble, its closest and most diverse
// partners, its status and findings, with command links (train, inspect, dashboard).
import * as vscode from 'vscode';
import type { ConfigTracker } from './configTracker';
import type { EnsembleStore } from './ensembleStore';
import { ensembleAnnotationText, metricTable, signedNum, signedPct, statusWord } from './logic/format';
import { settings } from './settings';

const COMMANDS = ['ensembleLens.trainMember', 'ensembleLens.inspectMember', 'ensembleLens.openDashboard', 'ensembleLens.train', 'ensembleLens.revealMember'];

function link(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

export class EnsembleHover implements vscode.HoverProvider {
  constructor(
    private readonly tracker: ConfigTracker,
    private readonly store: EnsembleStore,
  ) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!settings(doc.uri).hover) return undefined;
    const tracked = this.tracker.get(doc.uri);
    const st = this.store.get(doc.uri);
    const config = tracked?.result.config;
    const views = st?.views;
    if (!tracked || !config || !views) return undefined;
    // Members whose id line is hovered (a `repeat` entry: all its members).
    const hit = config.members.filter((m, i) => (tracked.edits.at(i)?.idRange ?? m.idRange).start.line === pos.line);
    const md = new vscode.MarkdownString('', true);
    md.isTrusted = { enabledCommands: COMMANDS };
    md.supportHtml = false;
    const uriArg = doc.uri.toString();
    if (hit.length === 0) {
      const mr = tracked.edits.extraRanges()[0] ?? config.membersRange;
      if (!mr || mr.start.line !== pos.line) return undefined;
      md.appendMarkdown(`**Ensemble** — ${ensembleAnnotationText(views.ensemble, ['accuracy', 'nll', 'brier', 'ece', 'rmse', 'mae'])}\n\n`);
      const shown = views.members.slice(0, 25);
      md.appendMarkdown(metricTable(shown, views.ensemble, config.task));
      if (views.members.length > shown.length) md.appendMarkdown(`\n\n…and ${views.members.length - shown.length} more members (see the sidebar).`);
      md.appendMarkdown(`\n\n${link('$(play) Train all', 'ensembleLens.train', [uriArg])} · ${link('$(graph) Open Dashboard', 'ensembleLens.openDashboard', [uriArg])}`);
      return new vscode.Hover(md);
    }
    const ids = new Set(hit.map((m) => m.id));
    const members = views.members.filter((v) => ids.has(v.id));
    const head = members.length === 1 ? `**${members[0].id}** — ${statusWord(members[0])}${members[0].fromCache ? ' (from cache)' : ''}` : `**${hit[0].groupId}** — ${members.length} members (repeat)`;
    md.appendMarkdown(`${head}\n\n`);
    md.appendMarkdown(metricTable(members, views.ensemble, config.task));
    md.appendMarkdown('\n\n');
    for (const m of members) {
      const bits: string[] = [];
      if (m.closest) bits.push(`closest **${m.closest.id}** (ρ ${m.closest.rho.toFixed(2)})`);
      if (m.diverse) bits.push(`most diverse **${m.diverse.id}** (ρ ${m.diverse.rho.toFixed(2)})`);
      if (m.loo) bits.push(`without it the ensemble's ${m.loo.metric === 'accuracy' ? 'accuracy' : m.loo.metric.toUpperCase()} changes by ${m.loo.metric === 'accuracy' ? signedPct(m.loo.delta) : signedNum(m.loo.delta)}`);
      if (m.status === 'failed' && m.message) bits.push(`failed: ${m.message}`);
      if (m.status === 'stale') bits.push('its spec changed since it was trained: train it to update');
      if (bits.length) md.appendMarkdown(`- ${members.length > 1 ? `${m.id}: ` : ''}${bits.join('; ')}\n`);
    }
    for (const f of views.findings.filter((f) => ids.has(f.memberId))) md.appendMarkdown(`- $(warning) ${f.message}\n`);
    const idsArg = members.map((m) => m.id);
    md.appendMarkdown(
      `\n${link('$(play) Train', 'ensembleLens.trainMember', [uriArg, idsArg])} · ${link('$(info) Inspect', 'ensembleLens.inspectMember', [uriArg, idsArg[0]])} · ${link('$(graph) Open Dashboard', 'ensembleLens.openDashboard', [uriArg, idsArg[0]])}`,
    );
    const line = doc.lineAt(pos.line).range;
    return new vscode.Hover(md, line);
  }
}
