// Gutter icons and after-line annotations on each member's line (and the ensemble's on `members`).
// Decoration types are made once per theme kind; every redraw sets the full set of every type for
// the editor. All after-line annotations share one type (a problem's colour is set per instance),
// so a member whose annotation changes colour is never between two types; gutter types that gain
// lines are set before those that lose them, so an icon is briefly doubled rather than missing.
import * as vscode from 'vscode';
import type { ConfigTracker } from './configTracker';
import { isConfigUri } from './configTracker';
import type { ConfigState, EnsembleStore } from './ensembleStore';
import { ensembleAnnotationText, groupAnnotationText } from './logic/format';
import { groupByEntry, iconKind } from './logic/memberView';
import { settings } from './settings';

export const ICON_KINDS = ['trained', 'redundant', 'hurting', 'miscalibrated', 'failed', 'stale', 'not-trained', 'queued', 'training', 'ensemble'] as const;
export type IconKind = (typeof ICON_KINDS)[number];

type ThemeSet = 'normal' | 'hcDark' | 'hcLight';

function themeSet(kind: vscode.ColorThemeKind): ThemeSet {
  if (kind === vscode.ColorThemeKind.HighContrast) return 'hcDark';
  if (kind === vscode.ColorThemeKind.HighContrastLight) return 'hcLight';
  return 'normal';
}

export class Decorations implements vscode.Disposable {
  private gutter = new Map<IconKind, vscode.TextEditorDecorationType>();
  private after!: vscode.TextEditorDecorationType;
  /** The gutter lines last drawn per editor and icon kind (to order the next redraw). */
  private drawn = new WeakMap<vscode.TextEditor, Map<IconKind, Set<number>>>();
  private theme: ThemeSet | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly media: vscode.Uri,
    private readonly store: EnsembleStore,
    private readonly tracker: ConfigTracker,
  ) {
    this.createTypes(themeSet(vscode.window.activeColorTheme.kind));
    this.disposables.push(
      store.onDidChange((st) => (st ? this.redrawUri(st.tracked.uri) : this.redrawAll())),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redrawAll()),
      vscode.window.onDidChangeActiveColorTheme((t) => {
        const set = themeSet(t.kind);
        if (set === this.theme) return;
        this.disposeTypes();
        this.createTypes(set);
        this.redrawAll();
      }),
    );
  }

  private createTypes(set: ThemeSet): void {
    this.theme = set;
    const iconUri = (kind: IconKind, theme: string) => vscode.Uri.joinPath(this.media, 'icons', `${kind}-${theme}.svg`);
    for (const kind of ICON_KINDS) {
      const light = set === 'normal' ? iconUri(kind, 'light') : iconUri(kind, set);
      const dark = set === 'normal' ? iconUri(kind, 'dark') : iconUri(kind, set);
      this.gutter.set(
        kind,
        vscode.window.createTextEditorDecorationType({
          gutterIconSize: '80%',
          light: { gutterIconPath: light },
          dark: { gutterIconPath: dark },
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
    this.after = vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 2.5em', fontStyle: 'italic', color: new vscode.ThemeColor('editorCodeLens.foreground') },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
    });
  }

  private disposeTypes(): void {
    for (const t of this.gutter.values()) t.dispose();
    this.gutter.clear();
    this.after?.dispose();
    this.drawn = new WeakMap();
  }

  redrawAll(): void {
    for (const e of vscode.window.visibleTextEditors) if (isConfigUri(e.document.uri)) this.draw(e);
  }

  private redrawUri(uri: vscode.Uri): void {
    for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === uri.toString()) this.draw(e);
  }

  /** Sets the full decoration sets of one editor. */
  draw(editor: vscode.TextEditor): void {
    const st = this.store.get(editor.document.uri);
    const tracked = this.tracker.get(editor.document.uri);
    const s = settings(editor.document.uri);
    const gutter = new Map<IconKind, vscode.Range[]>();
    const after: vscode.DecorationOptions[] = [];
    if (st?.views && tracked?.result.config) this.collect(editor.document, st, gutter, after, s.fields);
    const before = this.drawn.get(editor);
    const next = new Map<IconKind, Set<number>>();
    const gains: IconKind[] = [];
    const rest: IconKind[] = [];
    for (const kind of this.gutter.keys()) {
      const lines = new Set(s.gutter ? (gutter.get(kind) ?? []).map((r) => r.start.line) : []);
      next.set(kind, lines);
      const old = before?.get(kind);
      ([...lines].some((l) => !old?.has(l)) ? gains : rest).push(kind);
    }
    this.drawn.set(editor, next);
    for (const kind of [...gains, ...rest]) editor.setDecorations(this.gutter.get(kind)!, s.gutter ? (gutter.get(kind) ?? []) : []);
    editor.setDecorations(this.after, s.afterLine ? after : []);
  }

  private collect(
    doc: vscode.TextDocument,
    st: ConfigState,
    gutter: Map<IconKind, vscode.Range[]>,
    after: vscode.DecorationOptions[],
    fields: ReturnType<typeof settings>['fields'],
  ): void {
    const config = st.tracked.result.config;
    const views = st.views;
    if (!config || !views) return;
    const edits = st.tracked.edits;
    const lineEnd = (line: number) => {
      const l = Math.min(Math.max(line, 0), doc.lineCount - 1);
      const end = doc.lineAt(l).range.end;
      return new vscode.Range(end, end);
    };
    const addGutter = (kind: IconKind, line: number) => {
      const l = Math.min(Math.max(line, 0), doc.lineCount - 1);
      const list = gutter.get(kind) ?? [];
      list.push(new vscode.Range(l, 0, l, 0));
      gutter.set(kind, list);
    };
    const used = new Set<number>();
    for (const g of groupByEntry(config, views.members)) {
      const line = edits.at(g.index)?.idRange.start.line ?? g.entry.idRange.start.line;
      if (used.has(line)) continue; // two entries on one line: the first one speaks
      used.add(line);
      const icon = iconKind(g.members);
      if (icon !== 'excluded') addGutter(icon, line); // outside the selection: no icon
      const text = groupAnnotationText(g.members, fields);
      const problem = g.members.some((m) => m.status === 'failed' || m.status === 'stale');
      const color = problem ? new vscode.ThemeColor('editorWarning.foreground') : undefined;
      after.push({ range: lineEnd(line), renderOptions: { after: { contentText: text, ...(color ? { color } : {}) } } });
    }
    const membersRange = edits.extraRanges()[0] ?? config.membersRange;
    if (membersRange && !used.has(membersRange.start.line)) {
      addGutter('ensemble', membersRange.start.line);
      after.push({ range: lineEnd(membersRange.start.line), renderOptions: { after: { contentText: ensembleAnnotationText(views.ensemble, fields) } } });
    }
  }

  dispose(): void {
    this.disposeTypes();
    for (const d of this.disposables) d.dispose();
  }
}
