// The application-service contract shared by the CLI and the TUI. Both surfaces call these
// functions and nothing below them; the implementation lives in the sibling modules.
// Every write is audited with the operator's username.
import type { Config } from '../config/load-config.js';
import type { DetailColumn } from '../fhir/types.js';
import type { ItemRow, ItemStatus } from '../types/items.js';
import type { WorklistKind } from '../types/worklists.js';
import type { TypeStatus } from './status-service.js';

export type { WorklistKind };

export type { TypeStatus };

/** Who is acting: a Dekacare user that passed login, or 'cli:<os user>' for the headless CLI. */
export interface Operator {
  username: string;
  name: string;
  role: string | null;
}

/**
 * `message` is what to show. An unknown user and a wrong password get the same message, so the
 * screen never tells which usernames exist; `reason` is for the audit log and tests.
 */
export type LoginResult =
  | { ok: true; operator: Operator }
  | { ok: false; reason: 'unknown_user' | 'wrong_password' | 'throttled' | 'inactive' | 'no_role' | 'no_permission'; message: string };

/** `users check`: why a user can or cannot operate. */
export interface UserCheck {
  username: string;
  exists: boolean;
  active: boolean;
  role: string | null;
  permissions: string[];
  allowed: boolean;
  reasons: string[];
}

export interface ItemListQuery {
  type: string;
  /** One status, or 'problem' = failed + invalid + blocked. */
  status?: ItemStatus | 'problem';
  /** Business date YYYY-MM-DD (dated types only). */
  date?: string;
  /** Case-insensitive text on business keys: visit no., NIK, name, SATUSEHAT id, source key. */
  search?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export type { ItemRow };

export interface ItemPage {
  columns: DetailColumn[];
  rows: ItemRow[];
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

/** Newest first in ItemDetail.revisions. */
export interface RevisionView {
  revision: number;
  method: string;
  path: string;
  body: unknown;
  createdBy: string;
  edited: boolean;
  createdAt: string;
}

export interface AttemptView {
  id: number;
  revision: number;
  method: string;
  url: string;
  requestBody: unknown;
  /** Parsed JSON when the response was JSON, else the raw text. */
  responseBody: unknown;
  httpCode: number | null;
  durationMs: number;
  errorClass: string | null;
  errorMessage: string | null;
  ruleNumbers: string[];
  worker: string | null;
  startedAt: string;
  finishedAt: string;
}

export interface ItemDetail {
  item: ItemRow;
  /** Local validation issues (invalid items). */
  issues: Array<{ path: string; message: string; rule?: string }>;
  current: RevisionView | null;
  /** Newest first. */
  revisions: RevisionView[];
  /** Newest first; the latest 50 (item.attemptCount has the full count). */
  attempts: AttemptView[];
  /** From the last attempt: OperationOutcome messages, rule numbers and the plain-language hint. */
  outcome: { messages: string[]; ruleNumbers: string[]; hint: string } | null;
  /**
   * What the next send of the current revision will be: a POST of a new resource, a PUT by its
   * SATUSEHAT id once it holds one (a forced resend, a correction), or a lookup's GET. null without a request.
   */
  nextSend?: { method: string; url: string; why: string } | null;
}

/** Result of saving an edited request body: either a new revision, or errors to show at their place. */
export type SaveRevisionResult =
  /** `diff`: unified line diff of the pretty-printed (2-space) previous and new body. */
  | { ok: true; revision: number; diff: string }
  | { ok: false; errors: Array<{ message: string; line?: number; column?: number; path?: string; rule?: string }> };

export interface ResendResult {
  /** With dryRun: the ids that would be queued. */
  queued: number[];
  skipped: Array<{ id: number; reason: string }>;
  /** Set when something was queued but no live process sends (no heartbeat): nothing happens until a daemon runs. */
  waiting?: string | null;
}

export interface ResendOptions {
  /** Also resend items already sent: SATUSEHAT gets the current revision again, as an update (PUT). */
  force?: boolean;
  /** Decide and report, change nothing. */
  dryRun?: boolean;
}

export interface ResendMatchingResult {
  /** Items matching the query that can be resent (failed, not_sent, invalid with a request). */
  matched: number;
  /** 0 with dryRun. */
  queued: number;
  /** Up to 10 of the matched ids, for a dry run's preview. */
  sampleIds: number[];
  /** As in ResendResult. */
  waiting?: string | null;
}

export interface RegenerateResult {
  runId: number;
  /** A regeneration of this type was already queued or running: its run is returned instead. */
  alreadyQueued: boolean;
  /** Set when no daemon is live: regenerations run only in a daemon, so it waits until one starts. */
  waiting?: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: 'login' | 'login_refused' | 'resend' | 'edit' | 'regenerate' | 'pause' | 'resume' | 'resend_bulk' | 'verify_repair';
  /** e.g. 'item:42', 'type:Patient', 'user:admin'. */
  target: string | null;
  details: Record<string, unknown> | null;
}

/** One sending process as its heartbeat describes it (daemon/heartbeat.ts). */
export interface SenderInstance {
  instance: string;
  /** 'daemon', or 'once' / 'demo' for a `sync --once` run. */
  role: string;
  host: string;
  pid: number;
  version: string;
  startedAt: string;
  beatAt: string;
  /** Milliseconds since its last beat, by the state database's clock. */
  ageMs: number;
  stoppedAt: string | null;
  doing: string;
  circuit: 'closed' | 'open';
  circuitReason: string | null;
  circuitSince: string | null;
  nextRunAt: string | null;
  rateLimitPerMinute: number;
}

/** Whether anything sends, derived from heartbeats (shared/services/liveness.ts). */
export interface Liveness {
  /** Of the daemons: running (a live heartbeat), down (beats stopped without a shutdown), stopped (orderly shutdown), never. */
  state: 'running' | 'down' | 'stopped' | 'never';
  /** running: when the oldest live daemon started; down: its last beat; stopped: when it stopped. */
  since: string | null;
  daemons: SenderInstance[];
  /** Live `sync --once` / demo runs (they send until their backlog is done, then exit). */
  others: SenderInstance[];
  /** The daemon last heard of, when none is live. */
  last: SenderInstance | null;
  /** Any live process takes queued work (a daemon or a `sync --once`). */
  sending: boolean;
  circuit: 'closed' | 'open' | 'unknown';
  circuitReason: string | null;
  circuitSince: string | null;
  circuitOwner: string | null;
  nextRunAt: string | null;
  rateLimitPerMinute: number | null;
}

export interface ControlState {
  /** What the heartbeats say: which processes run, and what each is doing. */
  liveness: Liveness;
  paused: boolean;
  pausedBy: string | null;
  pausedAt: string | null;
  pausedReason: string | null;
  /** A live sender paused itself because SATUSEHAT keeps failing (circuit open); unknown when none is live. */
  circuit: 'closed' | 'open' | 'half-open' | 'unknown';
  circuitReason: string | null;
  lastRun: { id: number; trigger: string; status: string; startedAt: string; finishedAt: string | null } | null;
  /** The next scheduled run of a live daemon (null when none is live). */
  nextRunAt: string | null;
  /** Regenerations in progress, by type. */
  /** `waiting`: queued while no daemon is live (only a daemon runs regenerations). */
  regenerating: Array<{ type: string; runId: number; startedAt: string; done: number; total: number | null; waiting: boolean }>;
  /** The cap of the live sender (else this process's configuration). */
  rateLimitPerMinute: number;
  /** Requests sent in the last 60 s, all workers. */
  requestsLastMinute: number;
  environment: 'simulator' | 'sandbox' | 'production';
  /** The last hour, per minute, oldest first (60 values each), and the backlog with the time to send it at the recent pace. */
  activity: { requests: number[]; tooMany: number[]; serverErrors: number[]; sent: number[]; backlog: number; drainMinutes: number | null };
  /** The last `satusehat verify` (the daemon's sample or an operator's), with when it ran. */
  verification: { at: string; by: string; checked: number; disagreements: number; unchecked: number; sample: number | null } | null;
}

/** One day of the compliance figure (shared/services/compliance-service.ts). */
export interface ComplianceDay {
  /** Local date, or 'total'. */
  date: string;
  /** Non-cancelled visits that arrived that day, from Dekacare. */
  visits: number;
  /** Of them, those whose Encounter is on SATUSEHAT. */
  encounterSent: number;
  /** Of them, those with every item that names their Encounter sent as well. */
  complete: number;
  /** encounterSent / visits, in percent with one decimal, rounded down (100 only when all are); 100 for a day without visits. */
  sharePercent: number;
  completePercent: number;
}

export interface UnsentVisit {
  visitId: number;
  visitNo: string;
  date: string;
  /** What it waits on: the next extraction (never read), its Encounter, or items of the visit. */
  waitsOn: 'extraction' | 'encounter' | 'items';
  reason: string;
}

export interface ComplianceReport {
  from: string;
  to: string;
  targetPercent: number;
  days: ComplianceDay[];
  total: ComplianceDay;
  /** The first unsent visits (up to the limit asked), oldest day first. */
  unsent: UnsentVisit[];
  unsentTotal: number;
  unsentBy: Record<UnsentVisit['waitsOn'], number>;
}


/** One thing to fix in Dekacare (shared/services/worklist-service.ts). */
export interface WorklistRow {
  /** An item showing the problem (`items show` it); for drugs and lab tests, the first of them. */
  itemId: number;
  type: string;
  name: string;
  /** NIK, code, or how many items wait on it. */
  detail: string;
  problem: string;
  /** What to fix, and where in Dekacare. */
  fix: string;
  /** Visits not sent (complete) because of it. */
  visitsWaiting: number;
}

export interface Worklist {
  kind: WorklistKind;
  title: string;
  rows: WorklistRow[];
  visitsWaiting: number;
}

/**
 * The application services: everything the TUI and the CLI do goes through here. Writes are
 * audited with the operator's username. Expected failures throw ExitError (shared/errors.ts):
 * its message is one line to show, its exitCode says what kind (2 bad input, 5 DB/Redis down).
 */
export interface Services {
  config: Config;
  /** Dashboard cards; with a date, dated types count that business date only. */
  status(date?: string): Promise<TypeStatus[]>;
  control(): Promise<ControlState>;
  /** The compliance share per day (local dates, inclusive); `unsentLimit` caps the unsent visits listed (default 100). */
  compliance(range: { from?: string; to?: string }, options?: { unsentLimit?: number }): Promise<ComplianceReport>;
  /** What to fix in Dekacare for one kind of master data or code; empties as the fixes are synced. */
  worklist(kind: WorklistKind, limit?: number): Promise<Worklist>;
  login(username: string, password: string): Promise<LoginResult>;
  checkUser(username: string): Promise<UserCheck>;
  listItems(q: ItemListQuery): Promise<ItemPage>;
  showItem(id: number): Promise<ItemDetail | null>;
  saveRevision(id: number, bodyText: string, operator: Operator): Promise<SaveRevisionResult>;
  resend(ids: number[], operator: Operator, opts?: ResendOptions): Promise<ResendResult>;
  /** Every resendable item matching the query (page and pageSize are ignored). */
  resendMatching(q: ItemListQuery, operator: Operator, opts: { dryRun: boolean }): Promise<ResendMatchingResult>;
  /** Foundation types only; the daemon does the work and reports on sync_runs / control().regenerating. */
  regenerate(type: string, operator: Operator): Promise<RegenerateResult>;
  pause(operator: Operator, reason?: string): Promise<ControlState>;
  resume(operator: Operator): Promise<ControlState>;
  /** Newest first; default 50. */
  audit(limit?: number): Promise<AuditEntry[]>;
  close(): Promise<void>;
}
