// Knows every `*.ensemble.json` in the workspace and its latest parse. Open documents are parsed
// once per version, debounced while typing; closed files are parsed from disk and re-parsed when
// they change there. Between parses, an EditTracker maps member ranges through the edits and marks
// edited members stale at once.
import * as vscode from 'vscode';
import { existsSync, readFileSync } from 'node:fs';
import type { ParseResult } from '../core/config/types';
import { parseConfig } from '../core/config/parse';
import { EditTracker } from './logic/editTracker';
import { topLevelValueRanges } from './logic/jsonEdits';

/** Debounce of the parse while typing (ms). */
const PARSE_DELAY_MS = 250;

export interface TrackedConfig {
  uri: vscode.Uri;
  /** Document version the parse belongs to (undefined: parsed from disk). */
  version?: number;
  result: ParseResult;
  /** Member ranges mapped through edits since this parse, and the members edited since. */
  edits: EditTracker;
}

const parseHost = {
  exists: (p: string) => existsSync(p),
  readText: (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
};

export function isConfigUri(uri: vscode.Uri): boolean {
  return (uri.scheme === 'file' || uri.scheme === 'untitled') && uri.path.endsWith('.ensemble.json');
}

export class ConfigTracker implements vscode.Disposable {
  private readonly configs = new Map<string, TrackedConfig>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly parsed = new vscode.EventEmitter<TrackedConfig>();
  private readonly edited = new vscode.EventEmitter<{ config: TrackedConfig; ids: string[] }>();
  private readonly removed = new vscode.EventEmitter<vscode.Uri>();
  /** A config was (re)parsed. */
  readonly onDidParse = this.parsed.event;
  /** Members were edited (stale at once), before the debounced parse. */
  readonly onDidEditMembers = this.edited.event;
  /** A config was deleted. */
  readonly onDidRemove = this.removed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.ensemble.json');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => this.fromDisk(u)),
      watcher.onDidChange((u) => this.fromDisk(u)),
      watcher.onDidDelete((u) => this.remove(u)),
      vscode.workspace.onDidOpenTextDocument((d) => isConfigUri(d.uri) && this.fromDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => isConfigUri(d.uri) && this.onClose(d)),
      this.parsed,
      this.edited,
      this.removed,
    );
  }

  /** Finds and parses every config in the workspace and every open one. */
  async start(): Promise<void> {
    for (const d of vscode.workspace.textDocuments) if (isConfigUri(d.uri)) this.fromDocument(d);
    const uris = await vscode.workspace.findFiles('**/*.ensemble.json', '**/{node_modules,.ensemble-lens,.git}/**');
    for (const u of uris) if (!this.configs.has(u.toString())) this.fromDisk(u);
  }

  all(): TrackedConfig[] {
    return [...this.configs.values()].sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
  }

  get(uri: vscode.Uri): TrackedConfig | undefined {
    return this.configs.get(uri.toString());
  }

  /** Parses an open document now if its latest version is not parsed yet (commands call this before acting). */
  flush(uri: vscode.Uri): TrackedConfig | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const cur = this.configs.get(uri.toString());
    if (doc && (!cur || cur.version !== doc.version)) this.fromDocument(doc);
    return this.configs.get(uri.toString());
  }

  private isOpen(uri: vscode.Uri): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  }

  private fromDocument(doc: vscode.TextDocument): void {
    this.clearTimer(doc.uri);
    this.store(doc.uri, doc.getText(), doc.version);
  }

  private fromDisk(uri: vscode.Uri): void {
    if (this.isOpen(uri)) return; // the document is the truth while it is open
    let text: string;
    try {
      text = readFileSync(uri.fsPath, 'utf8');
    } catch (e) {
      this.log.warn(`cannot read ${uri.fsPath}: ${(e as Error).message}`);
      return;
    }
    this.store(uri, text, undefined);
  }

  private store(uri: vscode.Uri, text: string, version: number | undefined): void {
    let result: ParseResult;
    const t0 = Date.now();
    try {
      result = parseConfig(text, uri.fsPath, parseHost);
    } catch (e) {
      this.log.error(`parser crashed on ${uri.fsPath}: ${(e as Error).stack ?? e}`);
      return;
    }
    const ms = Date.now() - t0;
    if (ms > 50) this.log.debug(`parsed ${uri.fsPath} in ${ms} ms`);
    const prev = this.configs.get(uri.toString());
    const edits = prev?.edits ?? new EditTracker();
    const members = result.config?.members ?? [];
    edits.reset(
      members.map((m) => ({ id: m.id, range: m.range, idRange: m.idRange })),
      result.config?.membersRange ? [result.config.membersRange] : [],
      // Every member's result depends on these blocks: editing one makes them all stale at once.
      result.config ? topLevelValueRanges(text, ['data', 'defaults', 'task']) : [],
    );
    const entry: TrackedConfig = { uri, version, result, edits };
    this.configs.set(uri.toString(), entry);
    this.parsed.fire(entry);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!isConfigUri(e.document.uri) || e.contentChanges.length === 0) return;
    const cur = this.configs.get(e.document.uri.toString());
    if (cur) {
      const ids = cur.edits.apply(e.contentChanges);
      if (ids.length) this.edited.fire({ config: cur, ids });
    }
    this.clearTimer(e.document.uri);
    const doc = e.document;
    this.timers.set(
      doc.uri.toString(),
      setTimeout(() => {
        this.timers.delete(doc.uri.toString());
        if (!doc.isClosed) this.fromDocument(doc);
      }, PARSE_DELAY_MS),
    );
  }

  private onClose(doc: vscode.TextDocument): void {
    this.clearTimer(doc.uri);
    if (doc.uri.scheme === 'file' && existsSync(doc.uri.fsPath)) {
      // Unsaved edits are gone with the document: the file on disk is the config again.
      setTimeout(() => this.fromDisk(doc.uri), 0);
    } else {
      this.remove(doc.uri);
    }
  }

  private remove(uri: vscode.Uri): void {
    if (this.isOpen(uri)) return;
    this.clearTimer(uri);
    if (this.configs.delete(uri.toString())) this.removed.fire(uri);
  }

  private clearTimer(uri: vscode.Uri): void {
    const t = this.timers.get(uri.toString());
    if (t) clearTimeout(t);
    this.timers.delete(uri.toString());
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
