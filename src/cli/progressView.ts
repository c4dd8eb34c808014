// Training progress in the terminal: a live table on a TTY (redrawn in place), plain lines otherwise.
import type { EpochProgress } from '../core/protocol';
import type { MemberState } from '../engine/run';

interface Row {
  id: string;
  state: MemberState | 'cached';
  epoch?: EpochProgress;
  batch?: [number, number];
  message?: string;
}

export class ProgressView {
  private readonly rows = new Map<string, Row>();
  private drawn = 0;
  private timer?: NodeJS.Timeout;
  private readonly tty: boolean;

  constructor(
    ids: string[],
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY) && process.env.TERM !== 'dumb';
    for (const id of ids) this.rows.set(id, { id, state: 'not-trained' });
    if (this.tty) this.timer = setInterval(() => this.draw(), 250);
  }

  line(text: string): void {
    if (this.tty) this.clear();
    this.out.write(text + '\n');
    if (this.tty) this.draw();
  }

  state(id: string, state: MemberState, detail?: { message?: string; fromCache?: boolean }): void {
    const r = this.rows.get(id);
    if (!r) return;
    r.state = detail?.fromCache ? 'cached' : state;
    r.message = detail?.message;
    if (!this.tty) {
      if (state === 'trained') this.out.write(`${id}: ${detail?.fromCache ? 'cached' : 'done'}\n`);
      else if (state === 'failed') this.out.write(`${id}: failed: ${detail?.message ?? ''}\n`);
      else if (state === 'training') this.out.write(`${id}: training\n`);
    }
  }

  epoch(id: string, p: EpochProgress): void {
    const r = this.rows.get(id);
    if (!r) return;
    r.epoch = p;
    r.batch = undefined;
    if (!this.tty) this.out.write(`${id}: ${formatEpoch(p)}\n`);
  }

  batch(id: string, b: number, n: number): void {
    const r = this.rows.get(id);
    if (r) r.batch = [b, n];
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty) this.draw();
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    this.clear();
    const width = Math.max(...[...this.rows.keys()].map((k) => k.length), 6);
    const lines = [...this.rows.values()].map((r) => `${r.id.padEnd(width)}  ${describe(r)}`);
    this.out.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
  }
}

export function formatEpoch(p: EpochProgress): string {
  const parts = [`epoch ${p.epoch}/${p.epochs}`, `loss ${p.loss.toFixed(4)}`];
  if (p.accuracy !== undefined) parts.push(`acc ${(p.accuracy * 100).toFixed(1)}%`);
  if (p.valAccuracy !== undefined) parts.push(`val acc ${(p.valAccuracy * 100).toFixed(1)}%`);
  parts.push(`${Math.round(p.samplesPerSec).toLocaleString('en-US')} samples/s`);
  return parts.join('  ');
}

function bar(frac: number, width = 20): string {
  const n = Math.round(Math.max(0, Math.min(1, frac)) * width);
  return '█'.repeat(n) + '░'.repeat(width - n);
}

function describe(r: Row): string {
  switch (r.state) {
    case 'cached':
      return 'cached';
    case 'trained':
      return r.epoch ? `done    ${formatEpoch(r.epoch)}` : 'done';
    case 'failed':
      return `FAILED  ${r.message ?? ''}`;
    case 'queued':
      return 'queued';
    case 'training': {
      const e = r.epoch;
      const epochs = e?.epochs ?? 0;
      const done = (e?.epoch ?? 0) + (r.batch ? r.batch[0] / r.batch[1] : 0);
      const frac = epochs ? done / epochs : 0;
      return `${bar(frac)} ${e ? formatEpoch(e) : 'starting…'}`;
    }
    default:
      return r.message ?? '';
  }
}
