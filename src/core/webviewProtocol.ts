// Messages between the dashboard webview and its host (the extension's DashboardPanel; the exported
// HTML report plays host to itself). Both sides import this file. The webview says `ready` first; the
// host answers with the complete last snapshot (never deltas) and resends it when a hidden panel is
// shown again. Requests carry a `messageId`; the host answers with a `reply` whose `inReplyTo` names it.
// Messages from the webview are untrusted input: the host runs `validateFromWebview` on each.
import type { EpochProgress } from './protocol';
import type { EnsembleReport } from './report';

/** Bumped when a message or the snapshot changes incompatibly; the webview sends its own in `ready`. */
export const DASHBOARD_PROTOCOL_VERSION = 1;

/** The view type of the dashboard panel (also the serializer's key: `onWebviewPanel:ensembleLens.dashboard`). */
export const DASHBOARD_VIEW_TYPE = 'ensembleLens.dashboard';

/** The dashboard's tabs, in display order. */
export const DASHBOARD_TABS = ['overview', 'predictions', 'diversity', 'calibration', 'transferability', 'selection', 'training', 'boundaries'] as const;
export type DashboardTab = (typeof DASHBOARD_TABS)[number];

/** A finding about a member (the shape of the editor's `Finding`, src/core/findings.ts). */
export interface DashboardFinding {
  kind: string;
  memberId: string;
  otherId?: string;
  value?: number;
  severity: 'error' | 'warning' | 'information';
  message: string;
}

/** Every member's test-set outputs, base64 so the snapshot stays plain, compact JSON. */
export interface SnapshotOutputs {
  task: 'classification' | 'regression';
  nTest: number;
  /** Classes per row (1 for regression). */
  numClasses: number;
  memberIds: string[];
  /** base64 of a little-endian Float32Array of nTest labels (class indices or targets). */
  labels: string;
  /** Per member (same order as memberIds): base64 Float32Array of nTest * numClasses values, row-major. */
  values: string[];
}

/** The test inputs, for drawing samples: images as bytes, tabular data as feature rows. */
export type SnapshotInputs =
  | {
      kind: 'image';
      /** Samples included (the first `count` test samples; may be fewer than nTest). */
      count: number;
      /** [height, width, channels]. */
      shape: number[];
      /** base64 of count * h * w * c bytes, 0..255 (row-major, channels last). */
      pixels: string;
    }
  | {
      kind: 'features';
      count: number;
      featureNames: string[];
      /** base64 Float32Array of count * featureNames.length raw feature values. */
      values: string;
    };

/** Member outputs on a regular 2-D grid, for decision boundaries (2-feature classification only). */
export interface SnapshotGrid {
  /** Grid coordinates of feature 0 (x) and feature 1 (y), increasing. */
  xs: number[];
  ys: number[];
  numClasses: number;
  /** Per member: base64 Float32Array of ys.length * xs.length * numClasses probabilities, index ((iy * nx) + ix) * C + c. */
  members: { id: string; probs: string }[];
}

/** One member's training as it stands (complete history so far; never a delta). */
export interface TrainingMemberProgress {
  memberId: string;
  state: 'queued' | 'training' | 'done' | 'cached' | 'failed' | 'cancelled';
  history: EpochProgress[];
  /** Batch progress inside the running epoch. */
  batch?: { batch: number; batches: number };
  message?: string;
}

/** Live training progress of one run of the ensemble. */
export interface TrainingProgress {
  /** Changes for each new training run. */
  runId: string;
  running: boolean;
  members: TrainingMemberProgress[];
}

/** Everything the dashboard shows, as one complete, self-contained JSON value. */
export interface DashboardSnapshot {
  report: EnsembleReport;
  /** Findings about members (computed by the host); the Overview lists them. */
  findings?: DashboardFinding[];
  outputs?: SnapshotOutputs;
  inputs?: SnapshotInputs;
  grid?: SnapshotGrid;
  training?: TrainingProgress;
  /** Who produced it: the panel enables editor actions (reveal, apply weights) only for 'extension'. */
  host: 'extension' | 'export';
  /** The config's URI (extension only); the webview keeps it in its state so a restored panel knows its config. */
  configUri?: string;
  /** The workspace is in Restricted Mode (extension only): nothing is trained or attacked, so the views say so. */
  restricted?: boolean;
}

/** Host -> webview. Every message has a host-unique `messageId`. */
export type ToWebview =
  /** The complete dashboard state; replaces whatever the webview showed. */
  | { type: 'snapshot'; messageId: number; snapshot: DashboardSnapshot }
  /** Live training progress (complete per run); the Training tab redraws from it. */
  | { type: 'training'; messageId: number; progress: TrainingProgress }
  /** The host is computing (or failed to compute) a snapshot; shown as a banner. */
  | { type: 'status'; messageId: number; state: 'loading' | 'error' | 'idle'; message?: string }
  /** Show a tab and optionally select a member (e.g. from Inspect Member). */
  | { type: 'focus'; messageId: number; tab?: DashboardTab; memberId?: string }
  /** The answer to a webview request. */
  | { type: 'reply'; messageId: number; inReplyTo: number; ok: boolean; error?: string };

/** Webview -> host. Requests (those the host answers with a `reply`) are marked "request". */
export type FromWebview =
  /** The webview has loaded and listens; the host answers with the last snapshot. */
  | { type: 'ready'; messageId: number; protocol: number }
  /** Request: reveal a member's entry in the config editor. */
  | { type: 'revealMember'; messageId: number; memberId: string }
  /** The user selected a member (or none) in any view. */
  | { type: 'selectMember'; messageId: number; memberId: string | null }
  /** The user opened a test sample in the Predictions view. */
  | { type: 'selectSample'; messageId: number; index: number }
  /** The user clicked a heatmap cell: a pairwise measure (diversity) or a source/target pair (transferability). */
  | { type: 'selectCell'; messageId: number; view: 'diversity' | 'transferability'; measure: string; row: string; column: string }
  /** Request: write these weights into the config's combine block (method 'weighted') as an undoable edit. */
  | { type: 'applyWeights'; messageId: number; source: 'stacking' | 'selection'; weights: Record<string, number> }
  /** Request: recompute the snapshot (report from the cache). */
  | { type: 'refresh'; messageId: number }
  /** Request: cancel the config's training run (the one `runId` names). */
  | { type: 'cancelTraining'; messageId: number; runId: string }
  /** Request: export the dashboard as a self-contained HTML file. */
  | { type: 'exportHtml'; messageId: number }
  /** An error inside the webview, for the host's log. */
  | { type: 'log'; messageId: number; level: 'error' | 'warning' | 'info'; message: string };

export type FromWebviewType = FromWebview['type'];

/** What `validateFromWebview` checks a message against; omitted fields are not checked. */
export interface ValidationContext {
  /** Ids of the members the snapshot shows; member ids outside it are rejected. */
  memberIds?: readonly string[];
  /** Number of test samples; sample indices outside [0, nTest) are rejected. */
  nTest?: number;
}

export type Validation = { ok: true; message: FromWebview } | { ok: false; error: string };

const MAX_ID = 256;
const MAX_TEXT = 4000;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isId(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_ID;
}
function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

/** Checks one message from the webview: shape, types, sizes, and ids/indices against the context. */
export function validateFromWebview(raw: unknown, ctx: ValidationContext = {}): Validation {
  const fail = (error: string): Validation => ({ ok: false, error });
  if (!isRecord(raw)) return fail('message is not an object');
  const { type, messageId } = raw;
  if (typeof type !== 'string') return fail('message has no type');
  if (!isIndex(messageId)) return fail(`${type}: messageId must be a non-negative integer`);
  const knownMember = (id: unknown): string | undefined => {
    if (!isId(id)) return 'member id must be a non-empty string';
    if (ctx.memberIds && !ctx.memberIds.includes(id)) return `unknown member '${id.slice(0, 64)}'`;
    return undefined;
  };
  const only = (keys: string[]): string | undefined => {
    const extra = Object.keys(raw).filter((k) => k !== 'type' && k !== 'messageId' && !keys.includes(k));
    return extra.length ? `${type}: unexpected field '${extra[0].slice(0, 64)}'` : undefined;
  };
  let err: string | undefined;
  switch (type) {
    case 'ready':
      err = only(['protocol']) ?? (isIndex(raw.protocol) ? undefined : 'ready: protocol must be an integer');
      break;
    case 'revealMember':
      err = only(['memberId']) ?? knownMember(raw.memberId);
      break;
    case 'selectMember':
      err = only(['memberId']) ?? (raw.memberId === null ? undefined : knownMember(raw.memberId));
      break;
    case 'selectSample':
      err = only(['index']);
      if (!err && !isIndex(raw.index)) err = 'selectSample: index must be a non-negative integer';
      if (!err && ctx.nTest !== undefined && (raw.index as number) >= ctx.nTest) err = `selectSample: index ${raw.index} out of range`;
      break;
    case 'selectCell':
      err = only(['view', 'measure', 'row', 'column']);
      if (!err && raw.view !== 'diversity' && raw.view !== 'transferability') err = 'selectCell: view must be diversity or transferability';
      if (!err && !isId(raw.measure)) err = 'selectCell: measure must be a non-empty string';
      // Transferability columns include 'ensemble', so only diversity cells are checked against members.
      if (!err && raw.view === 'diversity') err = knownMember(raw.row) ?? knownMember(raw.column);
      if (!err && raw.view === 'transferability' && !(isId(raw.row) && isId(raw.column))) err = 'selectCell: row and column must be ids';
      break;
    case 'applyWeights':
      err = only(['source', 'weights']) ?? validateWeights(raw, knownMember);
      break;
    case 'cancelTraining':
      err = only(['runId']) ?? (isId(raw.runId) ? undefined : 'runId must be a non-empty string');
      break;
    case 'refresh':
    case 'exportHtml':
      err = only([]);
      break;
    case 'log':
      err = only(['level', 'message']);
      if (!err && !['error', 'warning', 'info'].includes(raw.level as string)) err = 'log: bad level';
      if (!err && (typeof raw.message !== 'string' || raw.message.length > MAX_TEXT)) err = 'log: message must be a string';
      break;
    default:
      return fail(`unknown message type '${type.slice(0, 64)}'`);
  }
  return err ? fail(err.startsWith(type) ? err : `${type}: ${err}`) : { ok: true, message: raw as unknown as FromWebview };
}

function validateWeights(raw: Record<string, unknown>, knownMember: (id: unknown) => string | undefined): string | undefined {
  if (raw.source !== 'stacking' && raw.source !== 'selection') return 'source must be stacking or selection';
  if (!isRecord(raw.weights)) return 'weights must be an object';
  const entries = Object.entries(raw.weights);
  if (entries.length === 0) return 'weights is empty';
  let total = 0;
  for (const [id, w] of entries) {
    const e = knownMember(id);
    if (e) return e;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) return `weight of '${id}' must be a finite number >= 0`;
    total += w;
  }
  return total > 0 ? undefined : 'weights sum to 0';
}
