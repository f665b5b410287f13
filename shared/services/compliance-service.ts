// The figure management reports to the health office (SE HK.02.01/MENKES/1030/2023): per day, the
// visits in Dekacare, those whose Encounter is on SATUSEHAT, those sent complete (every item that
// names the visit's Encounter is sent), the share against the 100% target, and every unsent visit
// with the reason it waits. Driven by the source's visits, so a visit never read yet counts too.
import type { Db } from '../db/connect.js';
import { visitsArrivedBetween } from '../db/source/visit-days.js';
import { encountersOfVisits, unsentChildrenOfVisits, type VisitItemState } from '../db/state/compliance-repo.js';
import { ExitError, EXIT } from '../errors.js';
import { parseUtcOffset } from '../fhir/datetime.js';
import type { ComplianceDay, ComplianceReport, UnsentVisit } from './api.js';

export const COMPLIANCE_TARGET_PERCENT = 100;
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Why an item is not sent, in a few words. */
export function itemWaitText(s: Pick<VisitItemState, 'status' | 'httpCode' | 'lastError' | 'blockedBy'>): string {
  switch (s.status) {
    case 'invalid':
      return `invalid: ${clip(s.lastError ?? 'see items show')}`;
    case 'failed':
      return `failed${s.httpCode ? ` (HTTP ${s.httpCode})` : ''}: ${clip(s.lastError ?? 'see items show')}`;
    case 'blocked':
      return `waits for ${clip(s.blockedBy ?? 'a parent')}`;
    case 'checking':
      return 'outcome unknown, SATUSEHAT is asked again';
    case 'sent':
      return 'sent';
    default:
      return `${s.status.replace('_', ' ')}: on its way`;
  }
}

/** The reason a visit is not sent complete, or null when it is. */
export function visitWaitReason(encounter: VisitItemState | undefined, unsent: Array<{ type: string } & Pick<VisitItemState, 'status' | 'httpCode' | 'lastError' | 'blockedBy'>>): { waitsOn: UnsentVisit['waitsOn']; reason: string } | null {
  if (!encounter) return { waitsOn: 'extraction', reason: 'not read from Dekacare yet: the next sync plans it' };
  if (encounter.status !== 'sent') return { waitsOn: 'encounter', reason: `Encounter ${itemWaitText(encounter)}` };
  if (unsent.length === 0) return null;
  const first = unsent[0]!;
  const more = unsent.length > 1 ? ` (+${unsent.length - 1} more)` : '';
  return { waitsOn: 'items', reason: `${unsent.length} item${unsent.length === 1 ? '' : 's'} not sent: ${first.type} ${itemWaitText(first)}${more}` };
}

const percent = (n: number, of: number) => (of === 0 ? 100 : Math.floor((n * 1000) / of) / 10);

function dayOf(date: string, visits = 0, encounterSent = 0, complete = 0): ComplianceDay {
  return { date, visits, encounterSent, complete, sharePercent: percent(encounterSent, visits), completePercent: percent(complete, visits) };
}

/** Today's date at the source's UTC offset ('YYYY-MM-DD'): the clinic's "today". */
export function localToday(offset: string, now = Date.now()): string {
  return new Date(now + (parseUtcOffset(offset) ?? 0) * 60_000).toISOString().slice(0, 10);
}

/** Validates an inclusive range of local dates; the caller's default is the last 7 days. */
export function complianceRange(from: string | undefined, to: string | undefined, today: string): { from: string; to: string } {
  const end = to ?? today;
  const start = from ?? new Date(Date.parse(`${end}T00:00:00Z`) - 6 * DAY_MS).toISOString().slice(0, 10);
  for (const [name, d] of [['--from', start], ['--to', end]] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) throw new ExitError(EXIT.usage, `${name} must be a date like 2026-11-20, got "${d}"`);
  }
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) throw new ExitError(EXIT.usage, `--from ${start} is after --to ${end}`);
  if (days > MAX_RANGE_DAYS) throw new ExitError(EXIT.usage, `at most ${MAX_RANGE_DAYS} days at a time (asked ${days}); split the range`);
  return { from: start, to: end };
}

export async function compliance(source: Db, state: Db, range: { from: string; to: string }, options: { unsentLimit?: number } = {}): Promise<ComplianceReport> {
  const limit = options.unsentLimit ?? 100;
  const days = new Map<string, ComplianceDay>();
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`); t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.set(date, dayOf(date));
  }
  const unsent: UnsentVisit[] = [];
  let unsentTotal = 0;
  const waitsOn: Record<UnsentVisit['waitsOn'], number> = { extraction: 0, encounter: 0, items: 0 };
  for await (const page of visitsArrivedBetween(source, range.from, range.to)) {
    const keys = page.map((v) => String(v.id));
    const [encounters, children] = await Promise.all([encountersOfVisits(state, keys), unsentChildrenOfVisits(state, keys)]);
    for (const visit of page) {
      const day = days.get(visit.date) ?? dayOf(visit.date);
      days.set(visit.date, day);
      day.visits += 1;
      const encounter = encounters.get(String(visit.id));
      if (encounter?.status === 'sent') day.encounterSent += 1;
      const wait = visitWaitReason(encounter, children.get(String(visit.id)) ?? []);
      if (!wait) {
        day.complete += 1;
        continue;
      }
      unsentTotal += 1;
      waitsOn[wait.waitsOn] += 1;
      if (unsent.length < limit) unsent.push({ visitId: visit.id, visitNo: visit.visitNo, date: visit.date, ...wait });
    }
  }
  const list = [...days.values()].sort((a, b) => a.date.localeCompare(b.date)).map((d) => dayOf(d.date, d.visits, d.encounterSent, d.complete));
  const sum = (k: 'visits' | 'encounterSent' | 'complete') => list.reduce((n, d) => n + d[k], 0);
  return {
    from: range.from, to: range.to, targetPercent: COMPLIANCE_TARGET_PERCENT, days: list,
    total: dayOf('total', sum('visits'), sum('encounterSent'), sum('complete')),
    unsent, unsentTotal, unsentBy: waitsOn,
  };
}
