// The seam for the dashboard and transferability features (their own issues). The dashboard's
// owner registers a host here from extension.ts; until then the commands explain that it is not in
// this build and point at what exists (the report export, the sidebar).
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

export async function computeTransferability(target: DashboardTarget): Promise<void> {
  if (host?.computeTransferability) return host.computeTransferability(target);
  await vscode.window.showInformationMessage(
    'Ensemble Lens: transferability (adversarial examples crafted on one member, tested on the others) is not part of this build yet; `ensemble-lens attack` will compute it once the attack engine lands.',
  );
}
