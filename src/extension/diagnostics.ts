// One DiagnosticCollection: every validation problem at its exact range, and analysis findings as
// warnings/information at the member's id. Quick fixes: the parser's suggested edits (Problem.fix)
// and, for redundant or hurting members, removing the member (or one seed of a `repeat`).
import * as vscode from 'vscode';
import type { Problem, ProblemFix, SourceRange } from '../core/config/types';
import type { ConfigState, EnsembleStore } from './ensembleStore';
import type { Rng } from './logic/rangeMap';
import { removeItem, removeProperty, setValue } from './logic/jsonEdits';
import { settings } from './settings';

const SOURCE = 'Ensemble Lens';

function toRange(r: Rng | SourceRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  information: vscode.DiagnosticSeverity.Information,
};

interface FixEntry {
  range: vscode.Range;
  message: string;
  fix?: ProblemFix;
  /** For findings: the member to remove. */
  removeMember?: { entryIndex: number; id: string; repeatCount: number };
}

export class EnsembleDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection('ensembleLens');
  private readonly fixes = new Map<string, FixEntry[]>();
  private readonly signatures = new Map<string, string>();
  /** Files other than configs that got problems, by the config they came from. */
  private readonly extraFiles = new Map<string, string[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: EnsembleStore) {
    this.disposables.push(
      this.collection,
      store.onDidChange((st) => (st ? this.update(st) : this.prune())),
    );
  }

  private prune(): void {
    const live = new Set(this.store.all().map((s) => s.tracked.uri.toString()));
    this.collection.forEach((uri) => {
      if (!live.has(uri.toString()) && ![...this.extraFiles.values()].flat().includes(uri.toString())) {
        this.collection.delete(uri);
        this.fixes.delete(uri.toString());
        this.signatures.delete(uri.toString());
      }
    });
    for (const s of this.store.all()) this.update(s);
  }

  /** Rebuilds a config's diagnostics; skips the update when nothing changed (no Problems-panel churn while training). */
  update(st: ConfigState): void {
    const uri = st.tracked.uri;
    const key = uri.toString();
    const byFile = new Map<string, { diags: vscode.Diagnostic[]; fixes: FixEntry[] }>();
    const bucket = (file: string) => {
      let b = byFile.get(file);
      if (!b) byFile.set(file, (b = { diags: [], fixes: [] }));
      return b;
    };
    bucket(key);
    for (const p of st.tracked.result.problems) this.addProblem(p, uri, bucket);
    const config = st.tracked.result.config;
    if (config && st.views && settings(uri).findings) {
      for (const f of st.views.findings) {
        const index = config.members.findIndex((m) => m.id === f.memberId);
        const spec = config.members[index];
        if (!spec) continue;
        const r = toRange(st.tracked.edits.at(index)?.idRange ?? spec.idRange);
        const d = new vscode.Diagnostic(r, f.message, SEVERITY[f.severity]);
        d.source = SOURCE;
        d.code = f.kind;
        const b = bucket(key);
        b.diags.push(d);
        if (f.kind === 'redundant' || f.kind === 'hurting') {
          b.fixes.push({ range: r, message: f.message, removeMember: { entryIndex: spec.entryIndex, id: spec.id, repeatCount: spec.repeatCount } });
        }
      }
    }
    const previousExtra = this.extraFiles.get(key) ?? [];
    const extra = [...byFile.keys()].filter((f) => f !== key);
    for (const f of previousExtra) if (!byFile.has(f)) byFile.set(f, { diags: [], fixes: [] });
    this.extraFiles.set(key, extra);
    for (const [file, b] of byFile) {
      const sig = JSON.stringify(b.diags.map((d) => [d.message, d.severity, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]));
      if (this.signatures.get(file) === sig) continue;
      this.signatures.set(file, sig);
      this.collection.set(vscode.Uri.parse(file), b.diags);
      this.fixes.set(file, b.fixes);
    }
  }

  private addProblem(p: Problem, configUri: vscode.Uri, bucket: (file: string) => { diags: vscode.Diagnostic[]; fixes: FixEntry[] }): void {
    const file = !p.file || p.file === configUri.fsPath ? configUri.toString() : vscode.Uri.file(p.file).toString();
    const r = toRange(p.range);
    const d = new vscode.Diagnostic(r, p.message, SEVERITY[p.severity] ?? vscode.DiagnosticSeverity.Error);
    d.source = SOURCE;
    d.code = p.code;
    const b = bucket(file);
    b.diags.push(d);
    if (p.fix) b.fixes.push({ range: r, message: p.message, fix: p.fix });
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.fixes.delete(uri.toString());
    this.signatures.delete(uri.toString());
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const entries = this.fixes.get(doc.uri.toString()) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      if (d.source !== SOURCE) continue;
      const e = entries.find((x) => x.message === d.message && x.range.isEqual(d.range));
      if (!e) continue;
      if (e.fix) {
        const a = new vscode.CodeAction(e.fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = new vscode.WorkspaceEdit();
        a.edit.replace(doc.uri, toRange(e.fix.range), e.fix.newText);
        a.diagnostics = [d];
        a.isPreferred = true;
        actions.push(a);
      } else if (e.removeMember) {
        const a = this.removeMemberAction(doc, e.removeMember);
        if (a) {
          a.diagnostics = [d];
          actions.push(a);
        }
      }
    }
    return actions;
  }

  /** Removes a member's entry, or lowers `repeat` by one for a member of a repeat group. */
  private removeMemberAction(doc: vscode.TextDocument, m: NonNullable<FixEntry['removeMember']>): vscode.CodeAction | undefined {
    const text = doc.getText();
    const group = m.repeatCount > 1;
    const edit = group
      ? m.repeatCount - 1 > 1
        ? setValue(text, ['members', m.entryIndex, 'repeat'], m.repeatCount - 1)
        : removeProperty(text, ['members', m.entryIndex, 'repeat'])
      : removeItem(text, ['members', m.entryIndex]);
    if (!edit) return undefined;
    const edits = [edit];
    const title = group ? `Lower repeat to ${m.repeatCount - 1} (one member fewer in the group)` : `Remove member "${m.id}"`;
    const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    a.edit = new vscode.WorkspaceEdit();
    for (const e of edits) a.edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
    return a;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
