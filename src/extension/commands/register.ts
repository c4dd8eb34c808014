// Every `ensembleLens.*` command. Commands that would run workspace code (training, loading models,
// attacks) explain themselves and do nothing in Restricted Mode.
import * as vscode from 'vscode';
import { basename, dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { ConfigTracker } from '../configTracker';
import type { EnsembleStore } from '../ensembleStore';
import type { TrainingController } from '../training';
import type { Node } from '../treeView';
import { cacheDirFor, engine } from '../engineApi';
import { computeTransferability, exportDashboardHtml, openDashboard } from '../dashboardSeam';
import { metricsLine, statusWord } from '../logic/format';
import { TEMPLATES, uniqueFileName } from '../logic/templates';
import { selectionMessage } from '../../core/memberSelection';
import { cacheDirSetting } from '../settings';
import { resolveTarget, targetFromArgs } from './target';

export interface CommandDeps {
  tracker: ConfigTracker;
  store: EnsembleStore;
  training: TrainingController;
  log: vscode.LogOutputChannel;
  tree: vscode.TreeView<Node>;
}

/** True in a trusted workspace; otherwise explains why `action` (a noun: "training") is disabled, so the user can `verb` after trusting. */
export function requireTrust(action: string, verb: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Ensemble Lens: ${action} is disabled in Restricted Mode, because it runs code and loads model and data files from this workspace. Cached results are shown read-only. Trust this workspace to ${verb}.`,
      'Manage Workspace Trust',
    )
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const { store, training, log, tree } = d;
  const target = (args: unknown[]) => resolveTarget(store, args, tree);
  const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await fn(...args);
      } catch (e) {
        log.error(`${id}: ${(e as Error).stack ?? e}`);
        void vscode.window.showErrorMessage(`Ensemble Lens: ${(e as Error).message}`);
      }
    });

  return [
    reg('ensembleLens.train', async (...args) => {
      if (!requireTrust('training', 'train')) return;
      const t = await target(args);
      if (t) await training.train(t.uri, t.memberIds ?? store.selectionOf(t.uri));
    }),
    reg('ensembleLens.trainMember', async (...args) => {
      if (!requireTrust('training', 'train')) return;
      const t = await target(args);
      if (!t) return;
      const ids = t.memberIds ?? (await pickMembers(store, t.uri, 'Train which members?', false));
      if (ids?.length) await training.train(t.uri, ids);
    }),
    reg('ensembleLens.cancel', (...args) => {
      const t = targetFromArgs(args);
      if (!training.cancel(t?.uri)) void vscode.window.showInformationMessage('Ensemble Lens: nothing is training.');
    }),
    reg('ensembleLens.openDashboard', async (...args) => {
      const t = await target(args);
      if (t) await openDashboard({ uri: t.uri, memberId: t.memberIds?.[0] });
    }),
    reg('ensembleLens.computeTransferability', async (...args) => {
      if (!requireTrust('computing transferability', 'attack its members')) return;
      const t = await target(args);
      if (t && (await training.transferability(t.uri))) await computeTransferability({ uri: t.uri });
    }),
    reg('ensembleLens.selectMembers', async (...args) => {
      const t = await target(args);
      if (!t) return;
      const all = store.get(t.uri)?.views?.members.map((m) => m.id) ?? [];
      const ids = await pickMembers(store, t.uri, 'Select the members that make up the ensemble (all: no selection)', true);
      if (!ids) return;
      if (ids.length === 0) {
        void vscode.window.showInformationMessage('Ensemble Lens: no member picked, so the selection is unchanged. Pick every member (or run Clear Member Selection) to use them all.');
        return;
      }
      await store.setSelection(t.uri, ids);
      void vscode.window.showInformationMessage(`Ensemble Lens: ${selectionMessage(ids.length, all.length)}`);
    }),
    reg('ensembleLens.clearSelection', async (...args) => {
      const t = await target(args);
      if (!t) return;
      if (!store.get(t.uri)?.selection) {
        void vscode.window.showInformationMessage(`Ensemble Lens: every member of ${basename(t.uri.fsPath)} is already selected.`);
        return;
      }
      const all = store.get(t.uri)?.views?.members.length ?? 0;
      await store.setSelection(t.uri, undefined);
      void vscode.window.showInformationMessage(`Ensemble Lens: ${selectionMessage(all, all)}`);
    }),
    reg('ensembleLens.exportReport', async (...args) => exportReport(d, await target(args))),
    reg('ensembleLens.newConfig', () => newConfig()),
    reg('ensembleLens.clearCache', async (...args) => {
      const t = await target(args);
      const config = t && d.tracker.flush(t.uri)?.result.config;
      if (!t || !config) return;
      const ok = await vscode.window.showWarningMessage(
        `Clear the cached members of ${basename(t.uri.fsPath)}? They will be trained again next time.`,
        { modal: true },
        'Clear Cache',
      );
      if (ok !== 'Clear Cache') return;
      const n = await (await engine()).clearCache(config, await cacheDirFor(config, cacheDirSetting(t.uri)));
      log.info(`cleared ${n} cached member(s) of ${t.uri.fsPath}`);
      await store.reset(t.uri);
      void vscode.window.showInformationMessage(`Ensemble Lens: removed ${n} cached member${n === 1 ? '' : 's'} of ${basename(t.uri.fsPath)}.`);
    }),
    reg('ensembleLens.showOutput', () => log.show()),
    reg('ensembleLens.refresh', async () => {
      await d.tracker.start();
      for (const s of store.all()) await store.refreshReport(s.tracked.uri);
    }),
    reg('ensembleLens.revealMember', async (...args) => {
      const t = targetFromArgs(args) ?? (await target(args));
      if (t) await revealMember(d, t.uri, t.memberIds?.[0]);
    }),
    reg('ensembleLens.inspectMember', async (...args) => {
      const t = await target(args);
      if (!t) return;
      const id = t.memberIds?.[0] ?? (await pickMembers(store, t.uri, 'Inspect which member?', false))?.[0];
      if (id) await inspectMember(d, t.uri, id);
    }),
  ];
}

async function pickMembers(store: EnsembleStore, uri: vscode.Uri, title: string, many: boolean): Promise<string[] | undefined> {
  const st = store.get(uri);
  const members = st?.views?.members ?? [];
  if (!members.length) {
    void vscode.window.showInformationMessage('Ensemble Lens: this config has no members (or does not parse).');
    return undefined;
  }
  const selection = store.selectionOf(uri);
  const items = members.map((m) => ({
    label: m.id,
    description: statusWord(m),
    detail: metricsLine(m) || undefined,
    picked: many ? (selection ? selection.includes(m.id) : true) : false,
  }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title: `Ensemble Lens: ${title}`, canPickMany: true });
    return picked?.map((p) => p.label);
  }
  const one = await vscode.window.showQuickPick(items, { title: `Ensemble Lens: ${title}` });
  return one ? [one.label] : undefined;
}

async function revealMember(d: CommandDeps, uri: vscode.Uri, id: string | undefined): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  // Reuse the column the config is shown in (the dashboard sits beside it), else the first.
  const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
  const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: column });
  const tracked = d.tracker.flush(uri);
  const index = tracked?.result.config?.members.findIndex((m) => m.id === id) ?? -1;
  const spec = tracked?.result.config?.members[index];
  if (!spec || !tracked) return;
  const r = tracked.edits.at(index)?.idRange ?? spec.idRange;
  const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function inspectMember(d: CommandDeps, uri: vscode.Uri, id: string): Promise<void> {
  const st = d.store.get(uri);
  const v = st?.views?.members.find((m) => m.id === id);
  if (!st || !v) return;
  type Item = vscode.QuickPickItem & { run?: () => unknown };
  const items: Item[] = [{ label: `${v.id}`, description: statusWord(v), kind: vscode.QuickPickItemKind.Separator }];
  for (const [k, val] of Object.entries(v.metrics ?? {})) items.push({ label: k, description: k === 'accuracy' ? `${(val * 100).toFixed(2)}%` : val.toFixed(4) });
  if (v.loo) items.push({ label: 'leave-one-out', description: `the ensemble's ${v.loo.metric} changes by ${v.loo.delta >= 0 ? '+' : ''}${(v.loo.metric === 'accuracy' ? v.loo.delta * 100 : v.loo.delta).toFixed(v.loo.metric === 'accuracy' ? 2 : 4)}${v.loo.metric === 'accuracy' ? '%' : ''} without it` });
  if (v.closest) items.push({ label: 'closest member', description: `${v.closest.id} (error correlation ${v.closest.rho.toFixed(3)})` });
  if (v.diverse) items.push({ label: 'most diverse member', description: `${v.diverse.id} (error correlation ${v.diverse.rho.toFixed(3)})` });
  if (v.epoch) items.push({ label: 'last epoch', description: `${v.epoch.epoch}/${v.epoch.epochs} · loss ${v.epoch.loss.toFixed(4)} · ${Math.round(v.epoch.samplesPerSec)} samples/s` });
  if (v.message) items.push({ label: 'message', description: v.message });
  for (const f of st.views?.findings.filter((f) => f.memberId === id) ?? []) items.push({ label: `$(warning) ${f.kind}`, detail: f.message });
  items.push({ label: 'actions', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(play) Train', run: () => vscode.commands.executeCommand('ensembleLens.trainMember', uri, [id]) });
  items.push({ label: '$(go-to-file) Reveal in Config', run: () => revealMember(d, uri, id) });
  items.push({ label: '$(graph) Open in Dashboard', run: () => openDashboard({ uri, memberId: id }) });
  const pick = await vscode.window.showQuickPick(items, { title: `Ensemble Lens: ${id}`, matchOnDescription: true });
  await pick?.run?.();
}

async function exportReport(d: CommandDeps, t: { uri: vscode.Uri } | undefined): Promise<void> {
  if (!t) return;
  let st = d.store.get(t.uri);
  if (!st?.report) {
    await d.store.refreshReport(t.uri);
    st = d.store.get(t.uri);
  }
  const report = st?.report;
  if (!st || !report) {
    void vscode.window.showInformationMessage(`Ensemble Lens: ${basename(t.uri.fsPath)} has no trained members yet; train it first.`);
    return;
  }
  const format = await vscode.window.showQuickPick(
    [
      { label: 'JSON', description: 'the report format (docs/report-format.md)', ext: 'json' },
      { label: 'HTML', description: 'the dashboard as one self-contained page (works offline)', ext: 'html' },
    ],
    { title: 'Ensemble Lens: export the report as' },
  );
  if (!format) return;
  // HTML is the dashboard's own export: every view in one self-contained page.
  if (format.ext === 'html') {
    if (!(await exportDashboardHtml({ uri: t.uri }))) void vscode.window.showErrorMessage('Ensemble Lens: the dashboard is not available, so no HTML can be exported.');
    return;
  }
  const base = basename(t.uri.fsPath).replace(/\.ensemble\.json$/, '');
  const dest = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(dirname(t.uri.fsPath), `${base}.report.${format.ext}`)),
    filters: format.ext === 'json' ? { JSON: ['json'] } : { HTML: ['html'] },
  });
  if (!dest) return;
  const text = JSON.stringify(report, null, 2) + '\n';
  await vscode.workspace.fs.writeFile(dest, Buffer.from(text, 'utf8'));
  d.log.info(`exported ${dest.fsPath}`);
  const sel = report.memberSelection ? ` It covers the ${report.memberSelection.length} selected members (${report.memberSelection.join(', ')}); the others are marked "excluded".` : '';
  const open = await vscode.window.showInformationMessage(`Ensemble Lens: report written to ${vscode.workspace.asRelativePath(dest)}.${sel}`, 'Open');
  if (open) await vscode.commands.executeCommand('vscode.open', dest);
}

async function newConfig(): Promise<void> {
  const pick = await vscode.window.showQuickPick(
    TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })),
    { title: 'Ensemble Lens: New Ensemble Config', placeHolder: 'Pick a template' },
  );
  if (!pick) return;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: pick.template.text });
    await vscode.window.showTextDocument(doc);
    return;
  }
  const suggested = uniqueFileName(pick.template.fileName, (n) => existsSync(join(folder.uri.fsPath, n)));
  const name = await vscode.window.showInputBox({
    title: 'Ensemble Lens: file name',
    value: suggested,
    valueSelection: [0, suggested.length - '.ensemble.json'.length],
    validateInput: (v) =>
      !v.endsWith('.ensemble.json') ? 'The name must end with .ensemble.json' : existsSync(join(folder.uri.fsPath, v)) ? `${v} already exists` : undefined,
  });
  if (!name) return;
  const uri = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(pick.template.text, 'utf8'));
  await vscode.window.showTextDocument(uri);
}
