// The webview's side of the protocol: VS Code's webview API when present, else the exported HTML's
// stand-in (the snapshot is inlined in the page; editor actions are unavailable).
import type { DashboardSnapshot, FromWebview, ToWebview } from '../src/core/webviewProtocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
  }
}

/** A message without its envelope id (the bridge numbers them). */
export type Outgoing = FromWebview extends infer M ? (M extends FromWebview ? Omit<M, 'messageId'> : never) : never;

export interface Reply {
  ok: boolean;
  error?: string;
}

/** Sends events and requests to the host; persists UI state. */
export class HostBridge {
  private nextId = 1;
  private pending = new Map<number, (r: Reply) => void>();
  private readonly api: VsCodeApi | undefined;
  /** True inside VS Code (editor actions such as reveal and apply weights are possible). */
  readonly inEditor: boolean;
  private memoryState: unknown;

  constructor(private readonly onMessage: (m: ToWebview) => void) {
    this.api = typeof window.acquireVsCodeApi === 'function' ? window.acquireVsCodeApi() : undefined;
    this.inEditor = this.api !== undefined;
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
    const m = data as ToWebview;
    if (m.type === 'reply') {
      const done = this.pending.get(m.inReplyTo);
      this.pending.delete(m.inReplyTo);
      done?.({ ok: m.ok, error: m.error });
      return;
    }
    this.onMessage(m);
  }

  /** Fire-and-forget event. */
  send(msg: Outgoing): number {
    const messageId = this.nextId++;
    this.api?.postMessage({ ...msg, messageId });
    return messageId;
  }

  /** A request the host answers with a reply (rejected in the exported HTML, which has no host). */
  request(msg: Outgoing): Promise<Reply> {
    if (!this.api) return Promise.resolve({ ok: false, error: 'not available in the exported report' });
    const id = this.send(msg);
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  getState<T>(): T | undefined {
    return (this.api ? this.api.getState() : this.memoryState) as T | undefined;
  }

  setState(state: unknown): void {
    if (this.api) this.api.setState(state);
    else this.memoryState = state;
  }

  /** The snapshot inlined by the HTML export (a <script type="application/json" id="ensemble-lens-snapshot">). */
  static inlineSnapshot(): DashboardSnapshot | undefined {
    const el = document.getElementById('ensemble-lens-snapshot');
    if (!el?.textContent) return undefined;
    return JSON.parse(el.textContent) as DashboardSnapshot;
  }
}
