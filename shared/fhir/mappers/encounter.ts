// Dekacare visit → SATUSEHAT Encounter, POSTed once with the status the visit has reached.
// Closed visits use the retrospective pattern: one Encounter with status 'finished' and the full
// arrived → in-progress → finished statusHistory. Subject, practitioner and location are parent
// placeholders that the worker resolves once those items have SATUSEHAT ids.
import type { Coding, Encounter, EncounterStatusHistory } from '@medplum/fhirtypes';
import { checkSourceDateTime, localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { namePlaceholder } from '../placeholders.js';
import { parentPlaceholder, type MapContext, type MapIssue, type MapResult, type ParentRef } from '../types.js';
import type { VisitRow } from '../../types/source-rows.js';
import { clean, contextIssues, invalid, ok } from './common.js';

export const ENCOUNTER_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const PARTICIPATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

/** Dekacare encounter class → v3-ActCode coding. */
export const ENCOUNTER_CLASSES: Record<string, Coding> = {
  AMB: { system: ENCOUNTER_CLASS_SYSTEM, code: 'AMB', display: 'ambulatory' },
  EMER: { system: ENCOUNTER_CLASS_SYSTEM, code: 'EMER', display: 'emergency' },
  IMP: { system: ENCOUNTER_CLASS_SYSTEM, code: 'IMP', display: 'inpatient encounter' },
};

type SentStatus = 'arrived' | 'in-progress' | 'finished';
const STATUSES: Record<string, SentStatus> = { registered: 'arrived', in_progress: 'in-progress', finished: 'finished' };

/** SATUSEHAT rule numbers used below (Kamus Validasi). */
const RULE = { subject: '10118', participant: '10119', location: '10120', finishedPeriod: '10121', periodStart: '10123', classCode: '10001' } as const;

const hasId = (id: number | null | undefined): id is number => id !== null && id !== undefined;

export function mapEncounter(row: VisitRow, ctx: MapContext): MapResult {
  const visitNo = clean(row.visitNo);
  const patientName = clean(row.patientName);
  const practitionerName = clean(row.practitionerName);
  const roomName = clean(row.roomName);
  const arrivedRaw = clean(row.arrivedAt);
  const common = {
    sourceKey: String(row.id),
    businessDate: arrivedRaw === null ? null : localBusinessDate(arrivedRaw),
    summary: {
      visitNo,
      patient: patientName,
      practitioner: practitionerName,
      date: arrivedRaw === null ? null : (localMinute(arrivedRaw) ?? arrivedRaw),
      unit: clean(row.unitName),
    },
  };
  const label = `Visit ${visitNo ?? `#${row.id}`}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Encounter');

  // What is sent depends on how far the visit got.
  const status = STATUSES[row.status];
  if (row.status === 'cancelled') {
    issues.push({ path: 'Encounter.status', message: `${label} was cancelled: cancelled visits are not sent to SATUSEHAT` });
  } else if (status === undefined) {
    issues.push({ path: 'Encounter.status', message: `${label} has an unknown status '${String(row.status)}' (expected registered, in_progress or finished)` });
  }
  const encounterClass = ENCOUNTER_CLASSES[row.encounterClass];
  if (encounterClass === undefined) {
    issues.push({ path: 'Encounter.class', rule: RULE.classCode, message: `${label} has an unknown encounter class '${String(row.encounterClass)}' (expected AMB, EMER or IMP)` });
  }
  if (visitNo === null) {
    issues.push({ path: 'Encounter.identifier[0].value', message: `${label} has no visit number: it is the identifier (${sysIdSystem('encounter', ctx.orgId)}) that prevents duplicates in SATUSEHAT` });
  }
  if (!hasId(row.patientId)) issues.push({ path: 'Encounter.subject', rule: RULE.subject, message: `${label} has no patient` });
  if (!hasId(row.practitionerId)) issues.push({ path: 'Encounter.participant[0].individual', rule: RULE.participant, message: `${label} has no practitioner` });
  if (!hasId(row.roomId)) issues.push({ path: 'Encounter.location[0].location', rule: RULE.location, message: `${label} has no room` });

  // Times: arrived is always needed; started and finished only as far as the status goes.
  const times = checkTimes(row, status, ctx, label, issues);

  if (issues.length > 0 || times === null || status === undefined || encounterClass === undefined || visitNo === null) {
    return invalid(common, issues);
  }

  const patientKey = String(row.patientId);
  const practitionerKey = String(row.practitionerId);
  const roomKey = String(row.roomId);
  const statusHistory: EncounterStatusHistory[] = [];
  if (status === 'arrived') {
    statusHistory.push({ status: 'arrived', period: { start: times.arrived } });
  } else {
    statusHistory.push({ status: 'arrived', period: { start: times.arrived, end: times.started } });
    statusHistory.push({ status: 'in-progress', period: { start: times.started, ...(times.finished !== null && { end: times.finished }) } });
    if (times.finished !== null) statusHistory.push({ status: 'finished', period: { start: times.finished, end: times.finished } });
  }

  const body: Encounter = {
    resourceType: 'Encounter',
    identifier: [{ system: sysIdSystem('encounter', ctx.orgId), value: visitNo }],
    status,
    class: encounterClass,
    // Displays are SATUSEHAT's censored names, filled in at send time (10118/10119), never Dekacare's.
    subject: { reference: `Patient/${parentPlaceholder('Patient', patientKey)}`, display: namePlaceholder('Patient', patientKey) },
    participant: [
      {
        type: [{ coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code: 'ATND', display: 'attender' }] }],
        individual: { reference: `Practitioner/${parentPlaceholder('Practitioner', practitionerKey)}`, display: namePlaceholder('Practitioner', practitionerKey) },
      },
    ],
    period: { start: times.arrived, ...(times.finished !== null && { end: times.finished }) },
    location: [{ location: { reference: `Location/${parentPlaceholder('Location', roomKey)}`, ...(roomName !== null && { display: roomName }) } }],
    statusHistory,
    serviceProvider: { reference: `Organization/${ctx.orgId}` },
  };
  const parents: ParentRef[] = [
    { type: 'Patient', sourceKey: patientKey },
    { type: 'Practitioner', sourceKey: practitionerKey },
    { type: 'Location', sourceKey: roomKey },
  ];
  return ok(common, { method: 'POST', path: 'Encounter', body }, parents);
}

interface EncounterTimes {
  arrived: string;
  /** Start of in-progress: startedAt, or arrivedAt when Dekacare did not record when care began. */
  started: string;
  /** Only for finished visits. */
  finished: string | null;
}

/** Converts and cross-checks the visit's times; pushes problems onto `issues` and returns null if any. */
function checkTimes(row: VisitRow, status: SentStatus | undefined, ctx: MapContext, label: string, issues: MapIssue[]): EncounterTimes | null {
  const before = issues.length;
  const arrivedRaw = clean(row.arrivedAt);
  const startedRaw = status === 'arrived' ? null : clean(row.startedAt);
  const finishedRaw = status === 'finished' ? clean(row.finishedAt) : null;

  const convert = (raw: string | null, path: string, field: string) => {
    if (raw === null) return null;
    const checked = checkSourceDateTime(raw, ctx, path, field);
    if (!checked.ok) {
      issues.push(checked.issue);
      return null;
    }
    return checked;
  };
  const arrived = convert(arrivedRaw, 'Encounter.period.start', 'arrivedAt');
  const started = convert(startedRaw, 'Encounter.statusHistory[1].period.start', 'startedAt');
  const finished = convert(finishedRaw, 'Encounter.period.end', 'finishedAt');

  if (arrivedRaw === null) {
    issues.push({ path: 'Encounter.period.start', rule: RULE.periodStart, message: `${label} has no arrival time (arrivedAt)` });
  }
  if (status === 'finished' && finishedRaw === null) {
    issues.push({ path: 'Encounter.period.end', rule: RULE.finishedPeriod, message: `${label} is finished but has no finish time (finishedAt): a finished Encounter needs period.end` });
  }
  if (arrived && finished && finished.epochMs <= arrived.epochMs) {
    issues.push({ path: 'Encounter.period.end', rule: RULE.finishedPeriod, message: `${label} finished at '${finishedRaw}', not after it arrived at '${arrivedRaw}': period.end must be later than period.start` });
  }
  if (arrived && started && started.epochMs < arrived.epochMs) {
    issues.push({ path: 'Encounter.statusHistory[1].period.start', message: `${label} started at '${startedRaw}', before it arrived at '${arrivedRaw}'` });
  }
  if (started && finished && started.epochMs > finished.epochMs) {
    issues.push({ path: 'Encounter.statusHistory[1].period.start', message: `${label} started at '${startedRaw}', after it finished at '${finishedRaw}'` });
  }
  if (issues.length > before || !arrived) return null;
  return { arrived: arrived.utc, started: started?.utc ?? arrived.utc, finished: finished?.utc ?? null };
}
