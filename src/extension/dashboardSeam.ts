// The seam between the editor's commands and the dashboard (src/extension/dashboard). extension.ts
// registers the dashboard here; without a host the commands explain that it is not in this build.
import * as vscode from 'vscode';

/** What Open Dashboard / Compute Transferability need to know. */
export interface DashboardTarget {
  /** The config file. */
  uri: vscode.Uri;
  /** A member to focus, if the command came from a member. */
  memberId?: string;
}

export interface DashboardHost {
  /** Opens (or reveals) the dashboard of a config. */
  open(target: DashboardTarget): Promise<void>;
  /** Runs the transferability analysis and shows it; absent until the attack engine lands. */
  computeTransferability?(target: DashboardTarget): Promise<void>;
  /** Asks where to save and writes the dashboard as one self-contained HTML file. */
  exportHtml?(target: DashboardTarget): Promise<void>;
}

let host: DashboardHost | undefined;

/** Called once by the dashboard's activation code. */
export function registerDashboardHost(h: DashboardHost): vscode.Disposable {
  host = h;
  return new vscode.Disposable(() => {
    if (host === h) host = undefined;
  });
}

export async function openDashboard(target: DashboardTarget): Promise<void> {
  if (host) return host.open(target);
  const pick = await vscode.window.showInformationMessage(
    'Ensemble Lens: the dashboard is not part of this build yet. Export Report writes the same numbers as JSON or HTML.',
    'Export Report',
  );
  if (pick) await vscode.commands.executeCommand('ensembleLens.exportReport', target.uri);
}

/** Shows a computed transferability result (the dashboard's Transferability tab). */
export async function computeTransferability(target: DashboardTarget): Promise<void> {
  if (host?.computeTransferability) return host.computeTransferability(target);
  await vscode.window.showInformationMessage('Ensemble Lens: transferability computed; the dashboard that shows it is not part of this build (Export Report includes it).');
}

/** The dashboard's HTML export, when a dashboard is registered; false when the caller should fall back. */
export async function exportDashboardHtml(target: DashboardTarget): Promise<boolean> {
  if (!host?.exportHtml) return false;
  await host.exportHtml(target);
  return true;
}
