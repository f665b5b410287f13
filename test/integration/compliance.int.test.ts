// The compliance figure (issue 14, part 3): per day, the visits in Dekacare, those on SATUSEHAT,
// those sent complete, and each unsent visit with its reason, checked against the source and the
// simulator rather than against the state DB's own counters.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import type { Runtime } from '../../daemon/runtime.js';
import type { Services } from '../../shared/services/api.js';
import { complianceRange, visitWaitReason } from '../../shared/services/compliance-service.js';
import { ANCHOR_DATE, type Harness } from '../support/pipeline-harness.js';
import { syncedServices, type SyncedServices } from '../support/synced-services.js';

describe('compliance', () => {
  let h: Harness;
  let rt: Runtime;
  let services: Services;
  const range = { from: '2026-10-01', to: ANCHOR_DATE };
  let synced: SyncedServices | undefined;
  beforeAll(async () => {
    synced = await syncedServices({ patients: 20, visits: 80, seed: 12, simulator: { unknownNikPercent: 0 } });
    ({ h, rt, services } = synced);
  });
  afterAll(async () => synced?.close());

  it('counts each day\'s visits from Dekacare and their Encounters from what SATUSEHAT holds', async () => {
    // One sent visit gets a diagnosis dated in the future: its Encounter stays on SATUSEHAT, the visit is no longer complete.
    const sentVisit = await h.state.db('items as e').join('item_links as l', function () {
      this.on('l.parent_key', 'e.source_key').andOnVal('l.parent_type', 'Encounter');
    }).join('items as c', 'c.id', 'l.item_id').where({ 'e.resource_type': 'Encounter', 'e.status': 'sent', 'c.resource_type': 'Condition', 'c.status': 'sent' }).first('e.source_key as visit', 'c.source_key as diagnosis');
    await h.source.db('diagnoses').where('id', Number(sentVisit.diagnosis)).update({ recorded_at: '2099-01-01 08:00:00', updated_at: h.source.db.fn.now() });
    await syncOnce(rt, { pollMs: 100 });
    const report = await services.compliance(range, { unsentLimit: 1000 });
    const visits = await h.source.db('visits').whereNot('status', 'cancelled').where('arrived_at', '>=', '2026-10-01 00:00:00').where('arrived_at', '<', '2026-11-21 00:00:00').select('id', h.source.db.raw("DATE_FORMAT(arrived_at, '%Y-%m-%d') AS day"));
    expect(visits.length).toBeGreaterThan(20);
    expect(report.total.visits).toBe(visits.length);
    expect(report.days.length).toBe(51);
    for (const day of report.days) expect(day.visits, day.date).toBe(visits.filter((v) => v.day === day.date).length);

    // On SATUSEHAT: the simulator's Encounters, by our identifier (the visit number), not our counters.
    const stored = new Set(h.simulator.resources('Encounter').map((e) => (e.identifier as Array<{ value: string }>)[0]!.value));
    const visitNos = new Map((await h.source.db('visits').whereIn('id', visits.map((v) => v.id)).select('id', 'visit_no')).map((v) => [Number(v.id), String(v.visit_no)]));
    expect(report.total.encounterSent).toBe(visits.filter((v) => stored.has(visitNos.get(Number(v.id))!)).length);
    expect(report.total.encounterSent).toBeGreaterThan(0);
    expect(report.total.sharePercent).toBe(Math.floor((report.total.encounterSent * 1000) / report.total.visits) / 10);
    expect(report.total.complete).toBeLessThanOrEqual(report.total.encounterSent);

    // Every visit not sent complete is listed once, with a reason; the demo's deliberate bad rows are among them.
    expect(report.unsentTotal).toBe(report.total.visits - report.total.complete);
    expect(report.unsent).toHaveLength(report.unsentTotal);
    expect(new Set(report.unsent.map((u) => u.visitId)).size).toBe(report.unsent.length);
    for (const u of report.unsent) expect(u.reason).not.toBe('');
    const incomplete = report.unsent.find((u) => u.visitId === Number(sentVisit.visit))!;
    expect(incomplete).toMatchObject({ waitsOn: 'items' });
    expect(incomplete.reason).toMatch(/^1 item not sent: Condition invalid: Condition\.recordedDate: .*RuleNumber: 10132/);
    // The others wait on their Encounter (the demo's deliberate bad rows: a practitioner without a NIK…), each with its reason.
    expect(report.unsent.filter((u) => u.waitsOn === 'encounter').every((u) => /^Encounter (invalid|waits for|failed)/.test(u.reason))).toBe(true);
  });

  it('a visit never read yet waits on extraction, and leaves the list once it is synced', async () => {
    const template = await h.source.db('visits').where('status', 'finished').orderBy('id').first();
    const { id: _id, ...copy } = template;
    const [visitId] = await h.source.db('visits').insert({ ...copy, visit_no: 'RJ269999999', arrived_at: `${ANCHOR_DATE} 09:00:00`, started_at: `${ANCHOR_DATE} 09:10:00`, finished_at: `${ANCHOR_DATE} 09:40:00`, updated_at: h.source.db.fn.now() });
    const before = await services.compliance({ from: ANCHOR_DATE, to: ANCHOR_DATE });
    expect(before.unsent.find((u) => u.visitId === visitId)).toMatchObject({ visitNo: 'RJ269999999', waitsOn: 'extraction', reason: 'not read from Dekacare yet: the next sync plans it' });
    await syncOnce(rt, { pollMs: 100 });
    const after = await services.compliance({ from: ANCHOR_DATE, to: ANCHOR_DATE });
    expect(after.unsent.find((u) => u.visitId === visitId)).toBeUndefined();
    expect(after.days[0]!.complete).toBe(before.days[0]!.complete + 1);
  });

  it('satusehat compliance: the table, the unsent visits with reasons, exit 3 below 100%; --json; bad ranges are usage errors', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['bin/satusehat.js', 'compliance', ...args], { env: { ...process.env, ...h.env, NO_COLOR: '1', COLUMNS: '160' }, encoding: 'utf8' });
    const text = run(['--from', range.from, '--to', range.to]);
    expect(text.status, text.stderr).toBe(3);
    expect(text.stdout).toMatch(/^Visits sent to SATUSEHAT, 2026-10-01 to 2026-11-20 \(target 100%/);
    expect(text.stdout).toMatch(/\ntotal\s+\d+\s+\d+\s+\d+\.\d%\s+\d+\s+\d+\.\d%\n/);
    expect(text.stdout).toMatch(/visits not sent complete \(/);
    expect(text.stdout).toMatch(/RJ\d+ +Encounter (waits for|invalid)/);
    const json = run(['--from', range.from, '--to', range.to, '--json']);
    expect(json.status).toBe(3);
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report).sort()).toEqual(['days', 'from', 'targetPercent', 'to', 'total', 'unsent', 'unsentBy', 'unsentTotal']);
    expect(report.unsent.length).toBe(report.unsentTotal);
    // A day with every visit sent complete: exit 0.
    const full = (report.days as Array<{ date: string; visits: number; complete: number }>).find((d) => d.visits > 0 && d.complete === d.visits);
    expect(full, 'a day on which every visit is complete').toBeTruthy();
    expect(run(['--from', full!.date, '--to', full!.date]).status).toBe(0);
    const bad = run(['--from', '2026-11-21', '--to', '2026-11-20']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^satusehat: --from 2026-11-21 is after --to 2026-11-20/);
  });

  it('reasons and ranges', () => {
    expect(visitWaitReason({ visitKey: '1', status: 'blocked', httpCode: null, errorClass: null, lastError: null, blockedBy: 'Patient 12 is failed: NIK not found' }, [])).toEqual({ waitsOn: 'encounter', reason: 'Encounter waits for Patient 12 is failed: NIK not found' });
    const sent = { visitKey: '1', status: 'sent' as const, httpCode: 201, errorClass: null, lastError: null, blockedBy: null };
    expect(visitWaitReason(sent, [])).toBeNull();
    expect(visitWaitReason(sent, [{ type: 'Condition', status: 'invalid', httpCode: null, lastError: 'unknown ICD-10 code X99.9', blockedBy: null }, { type: 'Observation', status: 'queued', httpCode: null, lastError: null, blockedBy: null }]))
      .toEqual({ waitsOn: 'items', reason: '2 items not sent: Condition invalid: unknown ICD-10 code X99.9 (+1 more)' });
    expect(complianceRange(undefined, undefined, '2026-11-20')).toEqual({ from: '2026-11-14', to: '2026-11-20' });
    expect(() => complianceRange('2026-11-21', '2026-11-20', '2026-11-20')).toThrow(/after --to/);
    expect(() => complianceRange('2024-01-01', '2026-11-20', '2026-11-20')).toThrow(/at most 366 days/);
  });
});
