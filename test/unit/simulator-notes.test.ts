// The simulator's rules for visit notes (simulator/validate-notes.ts): it accepts what the Playbook
// sends (our golden NutritionOrder, education Procedure and Resume Medis), and refuses what
// SATUSEHAT would (a missing mandatory element, a code system it does not know, a section entry
// that points nowhere, a DocumentStatus without its status code).
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../simulator/types.js';
import { ctx, golden, messages } from './simulator-support.js';

describe('simulator: NutritionOrder', () => {
  it('accepts the diet advice we send, and the order for the dietitian', () => {
    expect(messages('NutritionOrder', golden('nutritionorder/diet-rendah-garam.json'))).toEqual([]);
    expect(messages('NutritionOrder', golden('nutritionorder/diet-ranap-untuk-ahli-gizi.json'))).toEqual([]);
    expect(messages('NutritionOrder', golden('nutritionorder/diet-tanpa-kode.json'))).toEqual([]);
  });

  it('refuses a missing intent, encounter or date, a bad status, no diet at all and a diet type outside SNOMED/Kemkes', () => {
    const body = golden('nutritionorder/diet-rendah-garam.json');
    const without = (key: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key)) as JsonObject;
    expect(messages('NutritionOrder', without('intent')).join()).toMatch(/NutritionOrder\.intent/);
    expect(messages('NutritionOrder', without('encounter')).join()).toMatch(/NutritionOrder\.encounter/);
    expect(messages('NutritionOrder', without('dateTime')).join()).toMatch(/NutritionOrder\.dateTime/);
    expect(messages('NutritionOrder', without('oralDiet')).join()).toMatch(/needs oralDiet, supplement or enteralFormula/);
    expect(messages('NutritionOrder', { ...body, status: 'done' }).join()).toMatch(/Code not found: 'done' in NutritionOrder\.status/);
    expect(messages('NutritionOrder', { ...body, oralDiet: { type: [{ coding: [{ system: 'http://example.org/diet', code: 'DG' }] }] } }).join()).toMatch(/RuleNumber: 10002/);
    expect(messages('NutritionOrder', { ...body, oralDiet: { type: [{ coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/diet-type', code: 'DT001' }] }] } })).toEqual([]);
    expect(messages('NutritionOrder', body, ctx(['Encounter/7c9e6679-7425-40de-8003-000000001001'])).join()).toMatch(/NutritionOrder\.encounter/);
  });
});

describe('simulator: education Procedure', () => {
  const body = () => golden('procedureeducation/edukasi-obat-dengan-tanda.json');

  it('accepts category 409073007 with the KPTL and the SNOMED code', () => {
    expect(messages('Procedure', body())).toEqual([]);
  });

  it('accepts the 2022 ANC example\'s clinical-term code, refuses other systems; other Procedures keep their ICD-9-CM rules', () => {
    const b = body();
    expect(messages('Procedure', { ...b, code: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/clinical-term', code: 'ED000005', display: 'Edukasi Gizi' }] } })).toEqual([]);
    expect(messages('Procedure', { ...b, code: { coding: [{ system: 'http://example.org/edukasi', code: 'E1' }] } }).join()).toMatch(/Invalid coding system: http:\/\/example\.org\/edukasi \(RuleNumber: 10002\)/);
    expect(messages('Procedure', { ...b, code: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/kptl', code: 'EDU' }] } }).join()).toMatch(/Code not found: 'EDU'.*10001/);
    // Without the education category a KPTL code is not a procedure code SATUSEHAT takes.
    expect(messages('Procedure', { ...b, category: { coding: [{ system: 'http://snomed.info/sct', code: '277132007' }] } }).join()).toMatch(/Invalid coding system: http:\/\/terminology\.kemkes\.go\.id\/CodeSystem\/kptl \(RuleNumber: 10002\)/);
    expect(messages('Procedure', golden('procedure/tindakan-ekg.json'))).toEqual([]);
  });
});

describe('simulator: Resume Medis Composition', () => {
  const body = () => golden('composition/resume-lengkap.json');

  it('accepts the 88645-7 Composition with DocumentStatus and sections referring to stored resources', () => {
    expect(messages('Composition', body())).toEqual([]);
  });

  it('refuses a section entry that points nowhere, a DocumentStatus without status code, and an empty sub-section text', () => {
    expect(messages('Composition', body(), ctx(['Condition/7c9e6679-7425-40de-8004-000000005001'])).join()).toMatch(/Reference not found : Composition\.section\[3\]\.section\[0\]\.entry\[0\]\.reference : Condition\//);
    const b = body();
    const status = (b.extension as JsonObject[])[0] as JsonObject;
    expect(messages('Composition', { ...b, extension: [{ ...status, extension: (status.extension as JsonObject[]).slice(1) }] }).join()).toMatch(/extension:statusCode/);
    expect(messages('Composition', { ...b, extension: [{ ...status, extension: [{ url: 'statusCode', valueCode: 'signed' }] }] }).join()).toMatch(/Code not found: 'signed'/);
    const sections = b.section as JsonObject[];
    const first = sections[0] as JsonObject;
    const emptySub = { ...first, section: [{ ...((first.section as JsonObject[])[0] as JsonObject), text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"> </div>' } }] };
    expect(messages('Composition', { ...b, section: [emptySub, ...sections.slice(1)] }).join()).toMatch(/10134/);
  });
});
