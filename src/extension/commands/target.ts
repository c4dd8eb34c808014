// Which config (and member) a command acts on: its argument (a URI, a URI string from a hover link,
// a sidebar node), the active editor, the sidebar selection, the only config, or a quick pick.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { EnsembleStore } from '../ensembleStore';
import { isConfigUri } from '../configTracker';
import type { Node } from '../treeView';

export interface Target {
  uri: vscode.Uri;
  memberIds?: string[];
}

function asUri(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (typeof x === 'string' && x) return x.includes('://') || x.startsWith('file:') || x.startsWith('untitled:') ? vscode.Uri.parse(x) : vscode.Uri.file(x);
  if (x && typeof x === 'object' && 'scheme' in x && 'path' in x) return vscode.Uri.from(x as vscode.Uri);
  return undefined;
}

function asIds(x: unknown): string[] | undefined {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x) && x.every((v) => typeof v === 'string')) return x as string[];
  return undefined;
}

/** Reads a command's arguments: (uri, id | ids) or a sidebar node. */
export function targetFromArgs(args: unknown[]): Target | undefined {
  const [a, b] = args;
  if (a && typeof a === 'object' && 'kind' in a && 'uri' in a) {
    const n = a as Node;
    const ids = n.kind === 'member' || n.kind === 'finding' ? [n.id] : undefined;
    return { uri: n.uri, memberIds: ids };
  }
  const uri = asUri(a);
  return uri ? { uri, memberIds: asIds(b) } : undefined;
}

/** Resolves the config a command acts on; undefined when the user dismissed the pick or there is none. */
export async function resolveTarget(store: EnsembleStore, args: unknown[], tree?: vscode.TreeView<Node>): Promise<Target | undefined> {
  const fromArgs = targetFromArgs(args);
  if (fromArgs) return fromArgs;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isConfigUri(active)) return { uri: active };
  const sel = tree?.selection[0];
  if (sel) return targetFromArgs([sel]);
  const all = store.all();
  if (all.length === 1) return { uri: all[0].tracked.uri };
  if (all.length === 0) {
    const pick = await vscode.window.showInformationMessage('Ensemble Lens: there is no *.ensemble.json in this workspace.', 'New Ensemble Config');
    if (pick) await vscode.commands.executeCommand('ensembleLens.newConfig');
    return undefined;
  }
  const item = await vscode.window.showQuickPick(
    all.map((s) => ({ label: basename(s.tracked.uri.fsPath), description: vscode.workspace.asRelativePath(s.tracked.uri), uri: s.tracked.uri })),
    { title: 'Ensemble Lens: which config?', placeHolder: 'Pick an ensemble config' },
  );
  return item ? { uri: item.uri } : undefined;
}
