// The host's side of the dashboard protocol, without `vscode` (unit-tested with a fake webview):
// queues until the webview says `ready`, keeps the last snapshot and resends it on every `ready`
// (a hidden webview is rebuilt when shown), validates every incoming message, and answers requests.
import {
  DASHBOARD_PROTOCOL_VERSION,
  validateFromWebview,
  type DashboardSnapshot,
  type FromWebview,
  type ToWebview,
  type TrainingProgress,
} from '../../core/webviewProtocol';

/** What the channel needs of a webview. */
export interface WebviewPort {
  postMessage(msg: ToWebview): PromiseLike<boolean>;
}

/** Messages that expect a reply. */
export type DashboardRequest = Extract<FromWebview, { type: 'revealMember' | 'applyWeights' | 'refresh' | 'exportHtml' | 'cancelTraining' }>;
/** Messages that do not. */
export type DashboardEvent = Exclude<FromWebview, DashboardRequest | { type: 'ready' }>;

export interface ChannelHandlers {
  /** Runs a request; a thrown Error becomes an error reply with its message. */
  request(msg: DashboardRequest): Promise<void>;
  event?(msg: DashboardEvent): void;
  /** A message failed validation (for the log); it is dropped. */
  rejected?(error: string): void;
  /** The webview's protocol differs from the host's. */
  mismatch?(webviewProtocol: number): void;
}

const REQUESTS = new Set(['revealMember', 'applyWeights', 'refresh', 'exportHtml', 'cancelTraining']);

export class DashboardChannel {
  private ready = false;
  private nextId = 1;
  private queue: ToWebview[] = [];
  private snapshot: DashboardSnapshot | undefined;
  private training: TrainingProgress | undefined;
  /** Focus asked for before the first snapshot: the webview can select a member only once it has one. */
  private heldFocus: ToWebview[] = [];

  constructor(
    private readonly port: WebviewPort,
    private readonly handlers: ChannelHandlers,
  ) {}

  /** The last snapshot sent (or queued). */
  get current(): DashboardSnapshot | undefined {
    return this.snapshot;
  }

  /** Replaces the snapshot; sent now if the webview is ready, else on `ready`. */
  setSnapshot(s: DashboardSnapshot): void {
    this.snapshot = s;
    // A new snapshot carries its own training state; drop queued snapshots and progress it supersedes.
    this.queue = this.queue.filter((m) => m.type !== 'snapshot' && m.type !== 'training');
    if (s.training) this.training = s.training;
    this.send({ type: 'snapshot', messageId: this.id(), snapshot: s });
    for (const f of this.heldFocus) this.send(f);
    this.heldFocus = [];
  }

  /** Live training progress (complete per run); only the latest is kept while not ready. */
  setTraining(p: TrainingProgress): void {
    this.training = p;
    this.queue = this.queue.filter((m) => m.type !== 'training');
    this.send({ type: 'training', messageId: this.id(), progress: p });
  }

  status(state: 'loading' | 'error' | 'idle', message?: string): void {
    this.queue = this.queue.filter((m) => m.type !== 'status');
    this.send({ type: 'status', messageId: this.id(), state, message });
  }

  focus(tab?: Extract<ToWebview, { type: 'focus' }>['tab'], memberId?: string): void {
    const m: ToWebview = { type: 'focus', messageId: this.id(), tab, memberId };
    // A new panel's webview is often ready before its first snapshot; a focus then would name a member it does not know.
    if (this.snapshot) this.send(m);
    else this.heldFocus.push(m);
  }

  /** The webview went away (hidden without retained context, or reloading): queue until it is ready again. */
  reset(): void {
    this.ready = false;
  }

  /** Handles one raw message from the webview. */
  async receive(raw: unknown): Promise<void> {
    const v = validateFromWebview(raw, {
      memberIds: this.snapshot ? this.snapshot.report.members.map((m) => m.id) : undefined,
      nTest: this.snapshot?.report.data.nTest,
    });
    if (!v.ok) {
      this.handlers.rejected?.(v.error);
      return;
    }
    const msg = v.message;
    if (msg.type === 'ready') {
      if (msg.protocol !== DASHBOARD_PROTOCOL_VERSION) this.handlers.mismatch?.(msg.protocol);
      this.ready = true;
      // Complete state first (snapshot, then the latest training), then anything else queued.
      const rest = this.queue.filter((m) => m.type !== 'snapshot' && m.type !== 'training');
      this.queue = [];
      if (this.snapshot) await this.post({ type: 'snapshot', messageId: this.id(), snapshot: this.snapshot });
      if (this.training && this.training !== this.snapshot?.training) await this.post({ type: 'training', messageId: this.id(), progress: this.training });
      for (const m of rest) await this.post(m);
      return;
    }
    if (REQUESTS.has(msg.type)) {
      const req = msg as DashboardRequest;
      try {
        await this.handlers.request(req);
        await this.post({ type: 'reply', messageId: this.id(), inReplyTo: req.messageId, ok: true });
      } catch (e) {
        await this.post({ type: 'reply', messageId: this.id(), inReplyTo: req.messageId, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    this.handlers.event?.(msg as DashboardEvent);
  }

  private id(): number {
    return this.nextId++;
  }

  private send(m: ToWebview): void {
    if (this.ready) void this.post(m);
    else this.queue.push(m);
  }

  private async post(m: ToWebview): Promise<void> {
    try {
      await this.port.postMessage(m);
    } catch {
      // The panel was disposed meanwhile; nothing to deliver to.
    }
  }
}
