// An in-memory stand-in for the application services, for the TUI's screen tests. It follows
// the contract in shared/services/api.ts and records every call.
import type { ControlState, ItemDetail, ItemListQuery, ItemPage, ItemRow, LoginResult, Operator, ResendMatchingResult, ResendResult, SaveRevisionResult, TypeStatus } from '../../shared/services/api.js';
import type { TuiEnvironment } from '../../tui/context.js';
import type { TuiServices } from '../../tui/services.js';
import { idleActivity, runningLiveness } from '../support/liveness.js';

export const ADMIN: Operator = { username: 'admin', name: 'Rudi Hartono', role: 'admin' };

const ENCOUNTER_COLUMNS = [
  { key: 'visitNo', label: 'Visit no.', width: 18 },
  { key: 'patient', label: 'Patient', width: 22 },
  { key: 'date', label: 'Date', width: 16 },
];

export function typeStatus(type: string, over: Partial<TypeStatus> = {}): TypeStatus {
  const base: TypeStatus = { type, sent: 0, total: 0, percent: 0, inProcess: 0, queued: 0, sending: 0, notSent: 0, blocked: 0, failed: 0, invalid: 0, checking: 0, lastSuccessAt: null, ...over };
  return { ...base, percent: base.total === 0 ? 0 : Math.floor((base.sent * 100) / base.total) };
}

export function encounterRow(id: number, over: Partial<ItemRow> = {}): ItemRow {
  return {
    id, type: 'Encounter', sourceKey: String(id), status: 'sent', httpCode: 201, errorClass: null, satusehatId: `enc-${id}`, businessDate: '2026-11-20',
    summary: { visitNo: `RJ26${String(id).padStart(6, '0')}`, patient: `Pasien ${id}`, date: '2026-11-20 08:00' },
    lastError: null, blockedBy: null, attemptCount: 1, currentRevision: 1, updatedAt: '2026-11-20T01:00:00Z', sentAt: '2026-11-20T01:00:00Z', ...over,
  };
}

export const FAILED_BODY = { resourceType: 'Encounter', status: 'finished', serviceProvider: { reference: 'Organization/999' } };

export interface Call {
  method: string;
  args: unknown[];
}

export interface FakeServices extends TuiServices {
  calls: Call[];
  rows: ItemRow[];
  detail: ItemDetail;
  statuses: TypeStatus[];
  controlState: ControlState;
  /** The outcome the next delivered resend reports. */
  resendOutcome: 'sent' | 'failed';
  /** What writes answer about liveness: null while a daemon runs (the default), else the notice. */
  waiting: string | null;
  /** The worker finished the resend: showItem reports the new attempt from now on. */
  deliverResend(): void;
  callsOf(method: string): Call[];
}

export function fakeServices(): FakeServices {
  const rows: ItemRow[] = Array.from({ length: 45 }, (_, i) => encounterRow(100 + i));
  rows[0] = encounterRow(100, { status: 'failed', httpCode: 400, errorClass: 'http_4xx', satusehatId: null, lastError: 'serviceProvider invalid', attemptCount: 1, currentRevision: 2 });
  rows[1] = encounterRow(101, { status: 'blocked', httpCode: null, satusehatId: null, blockedBy: 'waiting for Patient 7 (failed: NIK not found)' });
  rows[2] = encounterRow(102, { status: 'invalid', httpCode: null, satusehatId: null });
  const detail: ItemDetail = {
    item: rows[0]!,
    issues: [],
    current: { revision: 2, method: 'POST', path: 'Encounter', body: FAILED_BODY, createdBy: 'extractor', edited: false, createdAt: '2026-11-20T01:00:00Z' },
    nextSend: { method: 'POST', url: 'http://127.0.0.1:9977/fhir-r4/v1/Encounter', why: 'a new resource (looked up by identifier first after a lost answer)' },
    revisions: [
      { revision: 2, method: 'POST', path: 'Encounter', body: FAILED_BODY, createdBy: 'extractor', edited: false, createdAt: '2026-11-20T01:00:00Z' },
      { revision: 1, method: 'POST', path: 'Encounter', body: { ...FAILED_BODY, status: 'arrived' }, createdBy: 'extractor', edited: false, createdAt: '2026-11-19T01:00:00Z' },
    ],
    attempts: [
      {
        id: 10, revision: 2, method: 'POST', url: 'http://sim/Encounter', requestBody: FAILED_BODY,
        responseBody: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'value', details: { text: 'Invalid reference (RuleNumber: 10124)' }, expression: ['Encounter.serviceProvider.reference'] }] },
        httpCode: 400, durationMs: 42, errorClass: 'http_4xx', errorMessage: 'HTTP 400', ruleNumbers: ['10124'], worker: 'w1', startedAt: '2026-11-20T01:00:00Z', finishedAt: '2026-11-20T01:00:01Z',
      },
    ],
    outcome: { messages: ['Encounter.serviceProvider.reference: Invalid reference (RuleNumber: 10124)'], ruleNumbers: ['10124'], hint: 'data invalid: fix the request and resend' },
  };
  const calls: Call[] = [];
  let resent = false;
  let delivered = false;
  const svc: FakeServices = {
    calls,
    rows,
    detail,
    resendOutcome: 'sent',
    waiting: null,
    statuses: [
      typeStatus('Organization', { sent: 9, total: 9, lastSuccessAt: '2026-11-20T01:00:00Z' }),
      typeStatus('Location', { sent: 20, total: 22, queued: 1, sending: 1, inProcess: 2 }),
      typeStatus('Practitioner', { sent: 7, total: 8, invalid: 1 }),
      typeStatus('Patient', { sent: 58, total: 60, failed: 1, invalid: 1 }),
      typeStatus('Encounter', { sent: 130, total: 144, failed: 1, invalid: 1, blocked: 12 }),
    ],
    controlState: {
      liveness: runningLiveness(),
      paused: false, pausedBy: null, pausedAt: null, pausedReason: null, circuit: 'closed', circuitReason: null, lastRun: null, nextRunAt: null,
      regenerating: [], rateLimitPerMinute: 150, requestsLastMinute: 12, environment: 'simulator', verification: null, activity: idleActivity(),
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    deliverResend: () => {
      delivered = true;
    },
    async login(username, password): Promise<LoginResult> {
      calls.push({ method: 'login', args: [username, password] });
      if (username === 'admin' && password === 'admin123') return { ok: true, operator: ADMIN };
      if (username === 'dokter') return { ok: false, reason: 'no_role', message: 'dokter may not open SATUSEHAT: role is "dokter"; only admin or superadmin may operate SATUSEHAT; the permission "satusehat" is missing. Ask a Dekacare superadmin to change this.' };
      return { ok: false, reason: 'wrong_password', message: 'wrong username or password' };
    },
    async status(date) {
      calls.push({ method: 'status', args: [date] });
      return date ? svc.statuses.map((s) => (s.type === 'Encounter' ? typeStatus('Encounter', { sent: 10, total: 12, failed: 2 }) : s)) : svc.statuses;
    },
    async control() {
      calls.push({ method: 'control', args: [] });
      return svc.controlState;
    },
    async listItems(q: ItemListQuery): Promise<ItemPage> {
      calls.push({ method: 'listItems', args: [q] });
      let matching = rows.filter((r) => r.type === q.type);
      if (q.status === 'problem') matching = matching.filter((r) => ['failed', 'invalid', 'blocked'].includes(r.status));
      else if (q.status) matching = matching.filter((r) => r.status === q.status);
      if (q.search) matching = matching.filter((r) => Object.values(r.summary).some((v) => v?.toLowerCase().includes(q.search!.toLowerCase())));
      const pageSize = q.pageSize ?? 50;
      const pageCount = Math.max(1, Math.ceil(matching.length / pageSize));
      const page = Math.min(q.page ?? 1, pageCount);
      return { columns: ENCOUNTER_COLUMNS, rows: matching.slice((page - 1) * pageSize, page * pageSize), page, pageSize, pageCount, total: matching.length };
    },
    async showItem(id) {
      calls.push({ method: 'showItem', args: [id] });
      if (id !== detail.item.id) return null;
      if (resent) {
        if (delivered) {
          const ok = svc.resendOutcome === 'sent';
          const attempt = { ...detail.attempts[0]!, id: 11, httpCode: ok ? 201 : 400, errorClass: ok ? null : 'http_4xx', responseBody: ok ? { resourceType: 'Encounter', id: 'enc-new' } : detail.attempts[0]!.responseBody };
          return {
            ...detail,
            item: { ...detail.item, status: ok ? 'sent' : 'failed', httpCode: ok ? 201 : 400, errorClass: ok ? null : 'http_4xx', satusehatId: ok ? 'enc-new' : null, attemptCount: 2 },
            attempts: [attempt, ...detail.attempts],
            outcome: ok ? null : detail.outcome,
          } satisfies ItemDetail;
        }
        return { ...detail, item: { ...detail.item, status: 'queued' } };
      }
      return detail;
    },
    async saveRevision(id, bodyText, operator): Promise<SaveRevisionResult> {
      calls.push({ method: 'saveRevision', args: [id, bodyText, operator] });
      try {
        JSON.parse(bodyText);
      } catch {
        return { ok: false, errors: [{ message: 'invalid JSON: Unexpected token', line: 2, column: 3 }] };
      }
      if (bodyText.includes('"status": "bogus"')) return { ok: false, errors: [{ message: 'Encounter.status: Invalid code', path: 'Encounter.status' }] };
      detail.current = { ...detail.current!, revision: 3, body: JSON.parse(bodyText), edited: true, createdBy: operator.username };
      return { ok: true, revision: 3, diff: '--- revision 2\n+++ revision 3 (edited by admin)\n@@ -1,3 +1,3 @@\n {\n-  "reference": "Organization/999"\n+  "reference": "Organization/100011961"\n }\n' };
    },
    async resend(ids, operator, opts): Promise<ResendResult> {
      calls.push({ method: 'resend', args: [ids, operator] });
      resent = true;
      delivered = false;
      return { queued: ids, skipped: [], waiting: opts?.dryRun ? null : svc.waiting };
    },
    async resendMatching(q, operator, opts): Promise<ResendMatchingResult> {
      calls.push({ method: 'resendMatching', args: [q, operator, opts] });
      const ids = rows.filter((r) => r.type === q.type && r.status === 'failed').map((r) => r.id);
      return { matched: ids.length, queued: opts.dryRun ? 0 : ids.length, sampleIds: ids.slice(0, 10), waiting: opts.dryRun ? null : svc.waiting };
    },
    async compliance(range) {
      calls.push({ method: 'compliance', args: [range] });
      const day = (date: string, visits: number, encounterSent: number, complete: number) => ({ date, visits, encounterSent, complete, sharePercent: Math.floor((encounterSent * 1000) / visits) / 10, completePercent: Math.floor((complete * 1000) / visits) / 10 });
      return {
        from: '2026-11-14', to: range.to ?? '2026-11-20', targetPercent: 100, days: [day('2026-11-19', 20, 20, 19), day('2026-11-20', 10, 9, 8)], total: day('total', 30, 29, 27),
        unsent: [], unsentTotal: 3, unsentBy: { extraction: 0, encounter: 1, items: 2 },
      };
    },
    async pause(operator, reason) {
      calls.push({ method: 'pause', args: [operator, reason] });
      svc.controlState = { ...svc.controlState, paused: true, pausedBy: operator.username, pausedAt: '2026-11-20T01:00:00Z', pausedReason: reason ?? null };
      return svc.controlState;
    },
    async resume(operator) {
      calls.push({ method: 'resume', args: [operator] });
      svc.controlState = { ...svc.controlState, paused: false, pausedBy: null, pausedAt: null, pausedReason: null };
      return svc.controlState;
    },
    async regenerate(type, operator) {
      calls.push({ method: 'regenerate', args: [type, operator] });
      svc.controlState = { ...svc.controlState, regenerating: [{ type, runId: 7, startedAt: '2026-11-20T01:00:00Z', done: 3, total: 9, waiting: false }] };
      return { runId: 7, alreadyQueued: false, waiting: svc.waiting };
    },
  };
  return svc;
}

export function testEnv(services: TuiServices, over: Partial<TuiEnvironment> = {}): TuiEnvironment {
  return {
    services,
    readOnly: false,
    noColor: false,
    environment: 'simulator',
    sourceUtcOffset: '+07:00',
    now: () => new Date('2026-11-20T05:00:00Z'),
    editor: null,
    pollMs: 60_000,
    size: { columns: 100, rows: 30 },
    log: () => undefined,
    ...over,
  };
}

/** Lets pending promises and React updates settle. */
export async function settle(ms = 30): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, ms / 3));
}
