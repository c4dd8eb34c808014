// Where the dashboard's data comes from: the extension wires its store (storeSource.ts) behind this.
import type * as vscode from 'vscode';
import type { DashboardSnapshot, TrainingProgress } from '../../core/webviewProtocol';

export interface DashboardSource {
  /** The complete snapshot of a config (report, outputs, inputs, findings, grid when available). */
  snapshot(configUri: vscode.Uri, token: vscode.CancellationToken): Promise<DashboardSnapshot>;
  /** A config's report changed (trained, cache cleared, combine edited): open panels fetch a new snapshot. */
  onDidChangeReport?: vscode.Event<vscode.Uri>;
  /** Live training progress of a config (complete per run). */
  onTrainingProgress?: vscode.Event<{ uri: vscode.Uri; progress: TrainingProgress }>;
}
