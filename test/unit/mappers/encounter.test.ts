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

  it("names people by SATUSEHAT's censored name (a send-time placeholder), never Dekacare's", () => {
    const enc = body(mapEncounter(visit({ patientName: 'Budi Santoso' }), FIXED_CTX));
    expect(enc.subject).toEqual({ reference: 'Patient/{{Patient:101}}', display: '{{name:Patient:101}}' });
    expect(enc.participant?.[0]?.individual).toEqual({ reference: 'Practitioner/{{Practitioner:21}}', display: '{{name:Practitioner:21}}' });
    expect(JSON.stringify(enc)).not.toContain('Budi');
  });

  it('omits an empty room name rather than sending a blank', () => {
    const enc = body(mapEncounter(visit({ roomName: '' }), FIXED_CTX));
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

  describe('Playbook elements', () => {
    const DD = { system: 'http://terminology.hl7.org/CodeSystem/diagnosis-role', code: 'DD', display: 'Discharge diagnosis' };

    it('lists every diagnosis as a child reference, primary first, ranked by Dekacare order', () => {
      const result = mapEncounter(visit({ diagnoses: [{ id: 7, rank: 2 }, { id: 9, rank: 1 }, { id: 8, rank: 2 }] }), FIXED_CTX);
      expect(body(result).diagnosis).toEqual([
        { condition: { reference: 'Condition/{{Condition:9}}' }, use: { coding: [DD] }, rank: 1 },
        { condition: { reference: 'Condition/{{Condition:7}}' }, use: { coding: [DD] }, rank: 2 },
        { condition: { reference: 'Condition/{{Condition:8}}' }, use: { coding: [DD] }, rank: 3 },
      ]);
      // The Conditions depend on the Encounter: they are never its parents.
      expect(result.ok && result.parents.map((p) => p.type)).toEqual(['Patient', 'Practitioner', 'Location']);
    });

    it('sends no diagnosis element for a visit without diagnoses', () => {
      expect(body(mapEncounter(visit(), FIXED_CTX))).not.toHaveProperty('diagnosis');
    });

    it('gives a finished visit its length in minutes (UCUM min), an open one none', () => {
      expect(body(mapEncounter(visit(), FIXED_CTX)).length).toEqual({ value: 47, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' });
      expect(body(mapEncounter(visit({ status: 'in_progress', finishedAt: null }), FIXED_CTX))).not.toHaveProperty('length');
    });

    it('keeps the real time of each phase in statusHistory', () => {
      expect(body(mapEncounter(visit(), FIXED_CTX)).statusHistory).toEqual([
        { status: 'arrived', period: { start: '2026-11-20T01:05:12+00:00', end: '2026-11-20T01:31:00+00:00' } },
        { status: 'in-progress', period: { start: '2026-11-20T01:31:00+00:00', end: '2026-11-20T01:52:40+00:00' } },
        { status: 'finished', period: { start: '2026-11-20T01:52:40+00:00', end: '2026-11-20T01:52:40+00:00' } },
      ]);
    });

    it("puts the visit's one room over the visit, with its outpatient class", () => {
      expect(body(mapEncounter(visit({ roomServiceClass: 'eksekutif' }), FIXED_CTX)).location).toEqual([
        {
          extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/ServiceClass', extension: [{ url: 'value', valueCodeableConcept: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Outpatient', code: 'eksekutif', display: 'Kelas Eksekutif' }] } }] }],
          location: { reference: 'Location/{{Location:11}}', display: 'Ruang Periksa Umum 1' },
          period: { start: '2026-11-20T01:05:12+00:00', end: '2026-11-20T01:52:40+00:00' },
        },
      ]);
    });

    const stay = (over: Partial<VisitRow> = {}) =>
      visit({
        encounterClass: 'IMP',
        roomId: 16,
        arrivedAt: '2026-11-20 08:00:00',
        startedAt: '2026-11-20 08:30:00',
        finishedAt: '2026-11-23 10:00:00',
        rooms: [
          { roomId: 16, roomName: 'Kamar Melati', serviceClass: '3', enteredAt: '2026-11-20 08:00:00', leftAt: null },
          { roomId: 17, roomName: 'Kamar Mawar', serviceClass: 'VIP', enteredAt: '2026-11-21 12:00:00', leftAt: null },
        ],
        ...over,
      });

    it('lists each room of a stay with its period and inpatient class; a room is left when the next is entered, the last at discharge', () => {
      const result = mapEncounter(stay(), FIXED_CTX);
      const location = body(result).location ?? [];
      expect(location.map((l) => [l.location.reference, l.period, l.extension?.[0]?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code])).toEqual([
        ['Location/{{Location:16}}', { start: '2026-11-20T01:00:00+00:00', end: '2026-11-21T05:00:00+00:00' }, '3'],
        ['Location/{{Location:17}}', { start: '2026-11-21T05:00:00+00:00', end: '2026-11-23T03:00:00+00:00' }, 'vip'],
      ]);
      expect(location[0]?.extension?.[0]?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.system).toBe('http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Inpatient');
      expect(result.ok && result.parents.filter((p) => p.type === 'Location').map((p) => p.sourceKey)).toEqual(['16', '17']);
    });

    it('leaves the last room of an open stay open', () => {
      const location = body(mapEncounter(stay({ status: 'in_progress', finishedAt: null }), FIXED_CTX)).location ?? [];
      expect(location[1]?.period).toEqual({ start: '2026-11-21T05:00:00+00:00' });
    });

    it('refuses a room left before it was entered, and an unknown service class', () => {
      const rooms = [{ roomId: 16, roomName: 'Kamar Melati', serviceClass: 'kelas-4', enteredAt: '2026-11-21 08:00:00', leftAt: '2026-11-20 09:00:00' }];
      expect(issues(mapEncounter(stay({ rooms }), FIXED_CTX)).map((i) => [i.path, i.message])).toEqual([
        ['Encounter.location[0].period.end', expect.stringContaining('before it was entered')],
        ['Encounter.location[0].extension', expect.stringContaining("unknown service class 'kelas-4'")],
      ]);
    });

    it.each([
      ['home', 'http://terminology.hl7.org/CodeSystem/discharge-disposition', 'home', '2026-11-20 10:00:00'],
      ['own_request', 'http://terminology.hl7.org/CodeSystem/discharge-disposition', 'aadvice', '2026-11-20 10:00:00'],
      ['referred', 'http://terminology.hl7.org/CodeSystem/discharge-disposition', 'other-hcf', '2026-11-20 10:00:00'],
      ['other', 'http://terminology.hl7.org/CodeSystem/discharge-disposition', 'oth', '2026-11-20 10:00:00'],
      ['died', 'http://terminology.kemkes.go.id/CodeSystem/discharge-disposition', 'exp-lt48h', '2026-11-22 07:59:00'],
      ['died', 'http://terminology.kemkes.go.id/CodeSystem/discharge-disposition', 'exp-gt48h', '2026-11-22 08:00:00'],
    ] as const)('codes the way out %s as %s|%s (finished %s)', (disposition, system, code, finishedAt) => {
      const enc = body(mapEncounter(stay({ dischargeDisposition: disposition, finishedAt, rooms: [] }), FIXED_CTX));
      expect(enc.hospitalization?.dischargeDisposition?.coding).toEqual([expect.objectContaining({ system, code })]);
    });

    it('sends no hospitalization before discharge, and refuses an unknown way out', () => {
      expect(body(mapEncounter(stay({ status: 'in_progress', finishedAt: null, dischargeDisposition: 'home' }), FIXED_CTX))).not.toHaveProperty('hospitalization');
      expect(issues(mapEncounter(stay({ dischargeDisposition: 'kabur' as VisitRow['dischargeDisposition'] }), FIXED_CTX))[0]?.message).toContain("unknown discharge disposition 'kabur'");
    });
  });
});
