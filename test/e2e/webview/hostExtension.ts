// A test-only VS Code extension around the real dashboard host (src/extension/dashboard): a fixture
// DashboardSource (snapshot.json beside this extension), `registerDashboard`, a command to open it, and a
// stand-in for `ensembleLens.revealMember` that records its arguments (when the real extension does not
// provide it). Bundled and installed into code-server by test/e2e/dashboardPanel.test.ts.
import * as vscode from 'vscode';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DashboardSnapshot } from '../../../src/core/webviewProtocol';
import { registerDashboard } from '../../../src/extension/dashboard/controller';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Dashboard Host Test', { log: true });
  const record = (line: string) => appendFileSync(join(context.extensionPath, 'events.log'), `${line}\n`);
  let dashboard;
  try {
    dashboard = registerDashboard(context, {
      snapshot: async () => JSON.parse(readFileSync(join(context.extensionPath, 'snapshot.json'), 'utf8')) as DashboardSnapshot,
    }, log);
  } catch (e) {
    record(`register-failed ${(e as Error).message}`);
    return;
  }
  dashboard.onDidSelectMember((e) => record(`select ${e.memberId}`));
  context.subscriptions.push(
    log,
    dashboard,
    vscode.commands.registerCommand('dashboardTest.open', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      if (folder) await dashboard.open({ uri: vscode.Uri.joinPath(folder, 'moons.ensemble.json') });
    }),
  );
  void vscode.commands.getCommands(true).then((all) => {
    if (all.includes('ensembleLens.revealMember')) return;
    context.subscriptions.push(vscode.commands.registerCommand('ensembleLens.revealMember', (uri: vscode.Uri, id: string) => record(`reveal ${uri.path.split('/').pop()} ${id}`)));
  });
  record('activated');
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
