// Editor actions the dashboard asks for: reveal a member in its config, and write weights into the
// config's combine block as one normal, undoable edit (a WorkspaceEdit built with jsonc-parser, so
// comments and formatting elsewhere in the file are kept).
import * as vscode from 'vscode';
import { combineWeightsEdits } from './combineEdit';

/** Reveals a member's entry (the editor's own command, which follows unsaved edits). */
export async function revealMember(configUri: vscode.Uri, memberId: string): Promise<void> {
  await vscode.commands.executeCommand('ensembleLens.revealMember', configUri, memberId);
}

/** Writes the weights into the open (or opened) config document; undoable like any edit. */
export async function applyCombineWeights(configUri: vscode.Uri, weights: Record<string, number>): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(configUri);
  const editorOpts = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === configUri.toString())?.options;
  const edits = combineWeightsEdits(
    doc.getText(),
    weights,
    doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
    editorOpts?.insertSpaces !== false,
    typeof editorOpts?.tabSize === 'number' ? editorOpts.tabSize : 2,
  );
  if (edits.length === 0) return;
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(configUri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  if (!(await vscode.workspace.applyEdit(we))) throw new Error('the editor refused the edit');
  await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.One });
}
