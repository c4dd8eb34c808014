// The sidebar: every config in the workspace -> its members (status icon, key numbers, a tooltip
// table) -> a Findings node. Items carry stable ids so expansion survives live refreshes.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ConfigState, EnsembleStore } from './ensembleStore';
import type { Finding } from '../core/findings';
import { EXCLUDED, metricTable, pct, statusCounts, treeDescription } from './logic/format';
import type { MemberView } from './logic/memberView';

export type Node =
  | { kind: 'config'; uri: vscode.Uri }
  | { kind: 'member'; uri: vscode.Uri; id: string; index: number }
  | { kind: 'findings'; uri: vscode.Uri }
  | { kind: 'finding'; uri: vscode.Uri; id: string; index: number }
  | { kind: 'problems'; uri: vscode.Uri };

const STATUS_ICON: Record<MemberView['status'], [string, string | undefined]> = {
  'not-trained': ['circle-large-outline', 'disabledForeground'],
  stale: ['history', 'list.warningForeground'],
  queued: ['ellipsis', undefined],
  training: ['sync~spin', 'progressBar.background'],
  trained: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
};

const HEALTH_ICON: Record<string, [string, string]> = {
  redundant: ['copy', 'list.warningForeground'],
  hurting: ['arrow-circle-down', 'list.warningForeground'],
  miscalibrated: ['warning', 'list.warningForeground'],
};

/** A member outside the member selection. */
const EXCLUDED_ICON: [string, string] = ['circle-slash', 'disabledForeground'];

function icon(name: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(name, color ? new vscode.ThemeColor(color) : undefined);
}

export class EnsembleTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly store: EnsembleStore) {
    // Coalesce bursts (many members changing state at once) into one refresh.
    this.sub = store.onDidChange(() => {
      if (this.pending) return;
      this.pending = setTimeout(() => {
        this.pending = undefined;
        this.changed.fire(undefined);
      }, 100);
    });
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.store.all().map((s) => ({ kind: 'config', uri: s.tracked.uri }));
    const st = this.store.get(node.uri);
    if (!st) return [];
    if (node.kind === 'config') {
      const out: Node[] = [];
      const errors = st.tracked.result.problems.filter((p) => p.severity === 'error').length;
      if (errors || !st.views) out.push({ kind: 'problems', uri: node.uri });
      (st.views?.members ?? []).forEach((m, index) => out.push({ kind: 'member', uri: node.uri, id: m.id, index }));
      if (st.views?.findings.length) out.push({ kind: 'findings', uri: node.uri });
      return out;
    }
    if (node.kind === 'findings') return (st.views?.findings ?? []).map((f, index) => ({ kind: 'finding', uri: node.uri, id: f.memberId, index }));
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'config') return undefined;
    if (node.kind === 'finding') return { kind: 'findings', uri: node.uri };
    return { kind: 'config', uri: node.uri };
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const st = this.store.get(node.uri);
    const key = node.uri.toString();
    switch (node.kind) {
      case 'config':
        return st ? this.configItem(st) : new vscode.TreeItem(basename(node.uri.fsPath));
      case 'member': {
        const v = st?.views?.members[node.index]?.id === node.id ? st.views.members[node.index] : st?.views?.members.find((m) => m.id === node.id);
        const item = new vscode.TreeItem(node.id, vscode.TreeItemCollapsibleState.None);
        item.id = `${key}#member#${node.index}#${node.id}`;
        if (!v || !st) return item;
        item.description = treeDescription(v);
        const [name, color] = v.excluded ? EXCLUDED_ICON : v.status === 'trained' && v.health && HEALTH_ICON[v.health] ? HEALTH_ICON[v.health] : STATUS_ICON[v.status];
        item.iconPath = icon(name, color);
        item.contextValue = `member.${v.status}`;
        const md = new vscode.MarkdownString(`**${v.id}** — ${v.status === 'not-trained' ? 'not trained' : v.status}${v.health && v.health !== 'helping' ? ` (${v.health})` : ''}${v.excluded ? `, ${EXCLUDED}: its own numbers, not part of the ensemble` : ''}\n\n`);
        md.appendMarkdown(metricTable([v], st.views?.ensemble, st.tracked.result.config?.task ?? 'classification'));
        if (v.message) md.appendMarkdown(`\n\n${v.status === 'failed' ? 'Error' : 'Note'}: ${v.message}`);
        item.tooltip = md;
        item.command = { command: 'ensembleLens.revealMember', title: 'Reveal in Config', arguments: [node.uri, node.id] };
        return item;
      }
      case 'findings': {
        const n = st?.views?.findings.length ?? 0;
        const item = new vscode.TreeItem('Findings', vscode.TreeItemCollapsibleState.Expanded);
        item.id = `${key}#findings`;
        item.description = `${n}`;
        item.iconPath = icon('lightbulb', 'list.warningForeground');
        item.contextValue = 'findings';
        return item;
      }
      case 'finding': {
        const f: Finding | undefined = st?.views?.findings[node.index];
        const item = new vscode.TreeItem(f?.message ?? node.id, vscode.TreeItemCollapsibleState.None);
        item.id = `${key}#finding#${node.index}#${f?.kind}#${node.id}`;
        item.iconPath = f?.severity === 'error' ? icon('error', 'list.errorForeground') : f?.severity === 'warning' ? icon('warning', 'list.warningForeground') : icon('info');
        item.tooltip = f?.message;
        item.contextValue = `finding.${f?.kind}`;
        item.command = { command: 'ensembleLens.revealMember', title: 'Reveal in Config', arguments: [node.uri, node.id] };
        return item;
      }
      case 'problems': {
        const problems = st?.tracked.result.problems ?? [];
        const errors = problems.filter((p) => p.severity === 'error');
        const item = new vscode.TreeItem(
          errors.length ? `${errors.length} error${errors.length === 1 ? '' : 's'} in the config` : 'The config cannot be read',
          vscode.TreeItemCollapsibleState.None,
        );
        item.id = `${key}#problems`;
        item.iconPath = icon('error', 'list.errorForeground');
        item.tooltip = problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.message}`).join('\n');
        item.accessibilityInformation = { label: `${item.label as string}; see the Problems panel` };
        item.command = { command: 'workbench.actions.view.problems', title: 'Show Problems' };
        return item;
      }
    }
  }

  private configItem(st: ConfigState): vscode.TreeItem {
    const config = st.tracked.result.config;
    const label = basename(st.tracked.uri.fsPath).replace(/\.ensemble\.json$/, '');
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `${st.tracked.uri.toString()}#config`;
    item.resourceUri = st.tracked.uri;
    item.contextValue = 'config';
    item.iconPath = icon(st.running ? 'sync~spin' : 'layers');
    const views = st.views;
    const parts: string[] = [];
    if (views) {
      parts.push(`${views.ensemble.trained}/${views.ensemble.total} trained`);
      const acc = views.ensemble.metrics?.accuracy;
      const rmse = views.ensemble.metrics?.rmse;
      if (acc !== undefined) parts.push(`acc ${pct(acc)}`);
      else if (rmse !== undefined) parts.push(`RMSE ${rmse.toFixed(3)}`);
      if (views.ensemble.selection) parts.push(`${views.ensemble.selection.selected} selected`);
    }
    item.description = parts.join(' · ');
    const md = new vscode.MarkdownString(`**${config?.name ?? label}** — \`${vscode.workspace.asRelativePath(st.tracked.uri)}\`\n\n`);
    if (views) md.appendMarkdown(`${statusCounts(views.members)}\n\n`);
    if (views && config && views.members.length <= 30) md.appendMarkdown(metricTable(views.members, views.ensemble, config.task));
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.sub.dispose();
    this.changed.dispose();
  }
}
