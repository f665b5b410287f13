// The worklists (issue 14, part 3): what to fix in Dekacare, with what waits on it, checked against
// the source and the simulator; a fix synced takes its row off the list.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import type { Runtime } from '../../daemon/runtime.js';
import type { Services } from '../../shared/services/api.js';
import { resolveNik } from '../../simulator/index.js';
import type { Harness } from '../support/pipeline-harness.js';
import { syncedServices, type SyncedServices } from '../support/synced-services.js';

const UNKNOWN_NIK_PERCENT = 30;

describe('worklists', () => {
  let h: Harness;
  let rt: Runtime;
  let services: Services;
  let synced: SyncedServices | undefined;
  beforeAll(async () => {
    synced = await syncedServices({ patients: 30, visits: 100, seed: 14, simulator: { unknownNikPercent: UNKNOWN_NIK_PERCENT } });
    ({ h, rt, services } = synced);
  });
  afterAll(async () => synced?.close());

  const unsentVisitsOf = async (column: 'patient_id' | 'practitioner_id', id: number) => {
    const visits = await h.source.db('visits').where(column, id).whereNot('status', 'cancelled').select('id');
    if (visits.length === 0) return 0;
    return Number((await h.state.db('items').where('resource_type', 'Encounter').whereIn('source_key', visits.map((v) => String(v.id))).whereNot('status', 'sent').count({ n: '*' }))[0]!.n);
  };

  it('patients: every NIK the MPI does not know, with the visits it holds back; fixing one NIK in Dekacare takes it off', async () => {
    const list = await services.worklist('patients');
    const patients = await h.source.db('patients').select('id', 'nik', 'name');
    const unknown = patients.filter((p) => p.nik !== null && /^\d{16}$/.test(p.nik) && resolveNik('Patient', p.nik, UNKNOWN_NIK_PERCENT) === null);
    expect(unknown.length).toBeGreaterThan(0);
    const listed = list.rows.filter((r) => r.problem === 'NIK not found in SATUSEHAT');
    expect(listed.map((r) => r.detail).sort()).toEqual(unknown.map((p) => `NIK ${p.nik}`).sort());
    for (const row of list.rows) {
      const item = await h.state.db('items').where('id', row.itemId).first('source_key');
      expect(row.visitsWaiting, row.name).toBe(await unsentVisitsOf('patient_id', Number(item.source_key)));
      expect(row.fix).not.toBe('');
    }
    expect(listed.some((r) => r.visitsWaiting > 0)).toBe(true);
    expect(listed[0]!.fix).toMatch(/^SATUSEHAT knows no person with NIK \d{16}: check the NIK against the KTP\/KK in Dekacare \(patients\.nik\)/);

    // The clinic corrects one NIK (a well-formed one the MPI knows); after the next sync it is off the list.
    const target = listed.find((r) => r.visitsWaiting > 0)!;
    const key = Number((await h.state.db('items').where('id', target.itemId).first('source_key')).source_key);
    const old = String((await h.source.db('patients').where('id', key).first('nik')).nik);
    let fixed = old;
    for (let i = 0; i < 100 && (fixed === old || resolveNik('Patient', fixed, UNKNOWN_NIK_PERCENT) === null); i += 1) fixed = `${old.slice(0, 12)}${String(1000 + i).slice(-4)}`;
    expect(resolveNik('Patient', fixed, UNKNOWN_NIK_PERCENT)).not.toBeNull();
    await h.source.db('patients').where('id', key).update({ nik: fixed, updated_at: h.source.db.fn.now() });
    await syncOnce(rt, { pollMs: 100 });
    const after = await services.worklist('patients');
    expect(after.rows.find((r) => r.itemId === target.itemId)).toBeUndefined();
    expect(after.rows.length).toBe(list.rows.length - 1);
    expect(await unsentVisitsOf('patient_id', key)).toBeLessThan(target.visitsWaiting);
  });

  it('practitioners, drugs, lab tests and locations each list what the demo data gets wrong', async () => {
    const practitioners = await services.worklist('practitioners');
    const withoutNik = await h.source.db('practitioners').whereNull('nik').orWhere('nik', '').select('id');
    expect(practitioners.rows.filter((r) => r.detail === 'no NIK').length).toBe(withoutNik.length);

    const drugs = await services.worklist('drugs');
    // A product without its KFA code, or a compound with an ingredient without one, among the drugs prescribed.
    const unmapped = await h.source.db('drugs as d').join('prescription_items as p', 'p.drug_id', 'd.id')
      .where((q) => q.where((p) => p.where('d.medication_type', 'NC').whereNull('d.kfa_code')).orWhereExists(h.source.db('drug_ingredients as i').whereRaw('i.drug_id = d.id').whereNull('i.kfa_code')))
      .distinct('d.name');
    expect(unmapped.length).toBeGreaterThan(0);
    expect(drugs.rows.map((r) => r.name).sort()).toEqual(unmapped.map((d) => d.name).sort());
    for (const r of drugs.rows) expect(r.fix).toMatch(/^map it to KFA in Dekacare's drug master/);

    // A lab order whose LOINC code is wrong (check digit) appears once it is synced.
    expect((await services.worklist('lab')).rows).toEqual([]);
    const order = await h.source.db('lab_orders').orderBy('id').first('id', 'test_name');
    await h.source.db('lab_orders').where('id', order.id).update({ loinc_code: '58410-3', updated_at: h.source.db.fn.now() });
    await syncOnce(rt, { pollMs: 100 });
    const lab = await services.worklist('lab');
    expect(lab.rows.map((r) => r.name)).toEqual([order.test_name]);
    expect(lab.rows[0]!.visitsWaiting).toBe(1);

    // Every room and unit of the demo is sent: an empty list, exit 0.
    expect((await services.worklist('locations')).rows).toEqual([]);
    const run = (args: string[]) => spawnSync(process.execPath, ['bin/satusehat.js', 'worklist', ...args], { env: { ...process.env, ...h.env, NO_COLOR: '1', COLUMNS: '160' }, encoding: 'utf8' });
    expect(run(['locations'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/nothing to fix/) });
    const csv = run(['drugs', '--csv']);
    expect(csv.status).toBe(3);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('item_id,type,name,detail,problem,fix,visits_waiting');
    expect(lines.length).toBe(drugs.rows.length + 1);
    const text = run(['patients']);
    expect(text.status).toBe(3);
    expect(text.stdout).toMatch(/^Patients whose NIK SATUSEHAT does not know .*: \d+ to fix, \d+ visits wait on them/);
    expect(run(['nonsense'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/unknown worklist "nonsense": choose from patients, practitioners, drugs, lab, locations/) });
  });
});
