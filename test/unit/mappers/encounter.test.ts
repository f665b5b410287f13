import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapEncounter } from '../../../shared/fhir/mappers/encounter.js';
import type { MapContext, MapResult } from '../../../shared/fhir/types.js';
import type { VisitRow } from '../../../shared/types/source-rows.js';
import { FIXED_CTX } from './support.js';

const visit = (over: Partial<VisitRow> = {}): VisitRow =>
  Object.freeze({
    id: 1001,
    visitNo: 'RJ/2026/11/20/0007',
    patientId: 101,
    patientName: 'Budi Santoso',
    patientNik: '3174051203850007',
    practitionerId: 21,
    practitionerName: 'dr. Alexander',
    roomId: 11,
    roomName: 'Ruang Periksa Umum 1',
    unitId: 1,
    unitName: 'Poliklinik Umum',
    encounterClass: 'AMB',
    status: 'finished',
    arrivedAt: '2026-11-20 08:05:12',
    startedAt: '2026-11-20 08:31:00',
    finishedAt: '2026-11-20 08:52:40',
    roomServiceClass: null,
    dischargeDisposition: null,
    rooms: [],
    diagnoses: [],
    updatedAt: '2026-11-20 08:52:40',
    ...over,
  });

function body(result: MapResult): Encounter {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.request.body as Encounter;
}
function issues(result: MapResult) {
  if (result.ok) throw new Error('expected issues');
  return result.issues;
}

describe('mapEncounter', () => {
  it('is deterministic and does not touch its inputs', () => {
    const row = visit();
    const ctx = Object.freeze({ ...FIXED_CTX });
    expect(mapEncounter(row, ctx)).toEqual(mapEncounter(row, ctx));
  });

  it('converts with the configured offset (WITA)', () => {
    const wita: MapContext = { ...FIXED_CTX, sourceUtcOffset: '+08:00' };
    const enc = body(mapEncounter(visit(), wita));
    expect(enc.period).toEqual({ start: '2026-11-20T00:05:12+00:00', end: '2026-11-20T00:52:40+00:00' });
  });

  it('rolls back to the previous UTC day but keeps the local business date (WIT)', () => {
    const wit: MapContext = { ...FIXED_CTX, sourceUtcOffset: '+09:00' };
    const result = mapEncounter(visit({ arrivedAt: '2026-11-20 07:00:00', startedAt: '2026-11-20 08:00:00', finishedAt: '2026-11-20 09:30:00' }), wit);
    expect(body(result).period?.start).toBe('2026-11-19T22:00:00+00:00');
    expect(result.businessDate).toBe('2026-11-20');
  });

  it('maps statuses: registered → arrived, in_progress → in-progress', () => {
    const arrived = body(mapEncounter(visit({ status: 'registered', startedAt: null, finishedAt: null }), FIXED_CTX));
    expect(arrived.status).toBe('arrived');
    expect(arrived.statusHistory).toEqual([{ status: 'arrived', period: { start: '2026-11-20T01:05:12+00:00' } }]);
    expect(arrived.period).toEqual({ start: '2026-11-20T01:05:12+00:00' });

    const inProgress = body(mapEncounter(visit({ status: 'in_progress', finishedAt: null }), FIXED_CTX));
    expect(inProgress.status).toBe('in-progress');
    expect(inProgress.statusHistory?.map((h) => h.status)).toEqual(['arrived', 'in-progress']);
    expect(inProgress.statusHistory?.[1]?.period).toEqual({ start: '2026-11-20T01:31:00+00:00' });
    expect(inProgress.period?.end).toBeUndefined();
  });

  it('ignores times beyond the status reached (a stale future finishedAt on an open visit)', () => {
    const result = mapEncounter(visit({ status: 'in_progress', finishedAt: '2099-01-01 00:00:00' }), FIXED_CTX);
    expect(result.ok).toBe(true);
  });

  it('starts in-progress at arrival when startedAt is missing', () => {
    const enc = body(mapEncounter(visit({ status: 'in_progress', startedAt: null, finishedAt: null }), FIXED_CTX));
    expect(enc.statusHistory).toEqual([
      { status: 'arrived', period: { start: '2026-11-20T01:05:12+00:00', end: '2026-11-20T01:05:12+00:00' } },
      { status: 'in-progress', period: { start: '2026-11-20T01:05:12+00:00' } },
    ]);
  });

  it.each([
    ['AMB', 'ambulatory'],
    ['EMER', 'emergency'],
    ['IMP', 'inpatient encounter'],
  ] as const)('maps class %s', (code, display) => {
    expect(body(mapEncounter(visit({ encounterClass: code }), FIXED_CTX)).class).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code, display });
  });

  it('does not care about the patient NIK (the Patient item reports it)', () => {
    const result = mapEncounter(visit({ patientNik: null }), FIXED_CTX);
    expect(result.ok && result.parents).toEqual([
      { type: 'Patient', sourceKey: '101' },
      { type: 'Practitioner', sourceKey: '21' },
      { type: 'Location', sourceKey: '11' },
    ]);
  });

  it('omits empty display names rather than sending blanks', () => {
    const enc = body(mapEncounter(visit({ patientName: ' ', roomName: '' }), FIXED_CTX));
    expect(enc.subject).toEqual({ reference: 'Patient/{{Patient:101}}' });
    expect(enc.location?.[0]?.location).toEqual({ reference: 'Location/{{Location:11}}' });
  });

  it('rejects finishedAt equal to arrivedAt (10121)', () => {
    const found = issues(mapEncounter(visit({ startedAt: null, finishedAt: '2026-11-20 08:05:12' }), FIXED_CTX));
    expect(found).toEqual([expect.objectContaining({ path: 'Encounter.period.end', rule: '10121' })]);
  });

  it('rejects startedAt before arrival or after finish', () => {
    expect(issues(mapEncounter(visit({ startedAt: '2026-11-20 08:00:00' }), FIXED_CTX))).toEqual([
      expect.objectContaining({ path: 'Encounter.statusHistory[1].period.start', message: expect.stringContaining('before it arrived') }),
    ]);
    expect(issues(mapEncounter(visit({ startedAt: '2026-11-20 09:00:00' }), FIXED_CTX))).toEqual([
      expect.objectContaining({ path: 'Encounter.statusHistory[1].period.start', message: expect.stringContaining('after it finished') }),
    ]);
  });

  it('accepts a visit that arrived exactly at the 2022-08-31 boundary and finished exactly now', () => {
    const result = mapEncounter(visit({ arrivedAt: '2022-08-31 07:00:00', startedAt: null, finishedAt: '2026-11-27 10:00:00' }), FIXED_CTX);
    expect(body(result).period).toEqual({ start: '2022-08-31T00:00:00+00:00', end: '2026-11-27T03:00:00+00:00' });
  });

  it('reports every problem at once, with paths and rules', () => {
    const bad = visit({
      visitNo: '',
      encounterClass: 'HH' as VisitRow['encounterClass'],
      patientId: null as unknown as number,
      practitionerId: undefined as unknown as number,
      roomId: null as unknown as number,
      arrivedAt: '',
    });
    expect(issues(mapEncounter(bad, FIXED_CTX)).map((i) => [i.path, i.rule])).toEqual([
      ['Encounter.class', '10001'],
      ['Encounter.identifier[0].value', undefined],
      ['Encounter.subject', '10118'],
      ['Encounter.participant[0].individual', '10119'],
      ['Encounter.location[0].location', '10120'],
      ['Encounter.period.start', '10123'],
    ]);
  });

  it('keeps summary and business date on invalid results so operators can find them', () => {
    const result = mapEncounter(visit({ arrivedAt: '2030-01-01 08:00:00' }), FIXED_CTX);
    expect(result.ok).toBe(false);
    expect(result.businessDate).toBe('2030-01-01');
    expect(result.summary).toEqual({ visitNo: 'RJ/2026/11/20/0007', patient: 'Budi Santoso', practitioner: 'dr. Alexander', date: '2030-01-01 08:00', unit: 'Poliklinik Umum' });
  });

  it('refuses cancelled visits and unknown statuses', () => {
    expect(issues(mapEncounter(visit({ status: 'cancelled' }), FIXED_CTX))[0]?.message).toContain('cancelled');
    expect(issues(mapEncounter(visit({ status: 'planned' as VisitRow['status'] }), FIXED_CTX))[0]?.message).toContain("unknown status 'planned'");
  });

  it('reports a misconfigured context instead of producing a bad identifier', () => {
    const found = issues(mapEncounter(visit(), { ...FIXED_CTX, orgId: '' }));
    expect(found[0]).toMatchObject({ path: 'Encounter.identifier[0].system' });
    expect(found[0]?.message).toContain('SATUSEHAT_ORG_ID');
  });
});
