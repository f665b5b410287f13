// The application-service contract shared by the CLI and the TUI. Both surfaces call these
// functions and nothing below them; the implementation lives in the sibling modules.
// Every write is audited with the operator's username.
import type { ItemSummary, DetailColumn } from '../fhir/types.js';
import type { ItemStatus } from '../types/items.js';
import type { TypeStatus } from './status-service.js';

export type { TypeStatus };

/** Who is acting: a Dekacare user that passed login, or 'cli:<os user>' for the headless CLI. */
export interface Operator {
  username: string;
  name: string;
  role: string | null;
}

export type LoginResult =
  | { ok: true; operator: Operator }
  | { ok: false; reason: 'unknown_user' | 'wrong_password' | 'inactive' | 'no_role' | 'no_permission'; message: string };

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

export interface ItemRow {
  id: number;
  type: string;
  sourceKey: string;
  status: ItemStatus;
  httpCode: number | null;
  errorClass: string | null;
  satusehatId: string | null;
  businessDate: string | null;
  summary: ItemSummary;
  lastError: string | null;
  blockedBy: string | null;
  attemptCount: number;
  currentRevision: number;
  updatedAt: string;
  sentAt: string | null;
}

export interface ItemPage {
  columns: DetailColumn[];
  rows: ItemRow[];
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

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
  revisions: RevisionView[];
  /** Newest first. */
  attempts: AttemptView[];
  /** From the last attempt: OperationOutcome messages, rule numbers and the plain-language hint. */
  outcome: { messages: string[]; ruleNumbers: string[]; hint: string } | null;
}

/** Result of saving an edited request body: either a new revision, or errors to show at their place. */
export type SaveRevisionResult =
  | { ok: true; revision: number; diff: string }
  | { ok: false; errors: Array<{ message: string; line?: number; column?: number; path?: string; rule?: string }> };

export interface ResendResult {
  queued: number[];
  skipped: Array<{ id: number; reason: string }>;
}

export interface ControlState {
  paused: boolean;
  pausedBy: string | null;
  pausedAt: string | null;
  /** The daemon paused itself because SATUSEHAT keeps failing (circuit open). */
  circuit: 'closed' | 'open' | 'half-open';
  circuitReason: string | null;
  lastRun: { id: number; trigger: string; status: string; startedAt: string; finishedAt: string | null } | null;
  nextRunAt: string | null;
  /** Regenerations in progress, by type. */
  regenerating: Array<{ type: string; runId: number; startedAt: string; done: number; total: number | null }>;
  rateLimitPerMinute: number;
  /** Requests sent in the last 60 s, all workers. */
  requestsLastMinute: number;
  environment: 'simulator' | 'sandbox' | 'production';
}
