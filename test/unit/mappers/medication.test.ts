// The Playbook v6.3 §16 elements of a prescription line: Medication inside its MedicationRequest,
// the two identifiers, the dosage, substitution, dispense request, course of therapy and reason,
// and compounded drugs with their KFA ingredients and strengths.
import type { Medication, MedicationRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapMedicationRequest } from '../../../shared/fhir/mappers/medication-request.js';
import { buildMedication, mapMedication } from '../../../shared/fhir/mappers/medication.js';
import { resolvePlaceholders } from '../../../shared/fhir/placeholders.js';
import { plannedTypes } from '../../../shared/fhir/registry.js';
import type { MapContext, MapResult } from '../../../shared/fhir/types.js';
import { validateR4 } from '../../../shared/validation/r4-validator.js';
import { prescriptionItem } from './prescription-item.js';
import { dummyId, FIXED_CTX } from './support.js';

const SEPARATE: MapContext = { ...FIXED_CTX, medicationMode: 'separate' };

function request(result: MapResult): MedicationRequest {
  if (!result.ok) throw new Error(`expected a valid item: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.request.body as MedicationRequest;
}

function issuesOf(result: MapResult): string[] {
  if (result.ok) throw new Error('expected an invalid item');
  return result.issues.map((i) => `${i.path}: ${i.message}`);
}

const compound = (over: Parameters<typeof prescriptionItem>[0]) =>
  prescriptionItem({ kfaCode: null, drugName: 'Racikan Kapsul Parasetamol 125 mg', formCode: 'BS019', medicationType: 'SD', ingredients: [{ kfaCode: '91000101', name: 'Paracetamol', strengthValue: 125, strengthUnit: 'mg', perValue: 1, perUnit: 'CAP' }], quantityUnit: 'CAP', doseUnit: 'CAP', ...over });

describe('Medication inside its MedicationRequest (MEDICATION_MODE=contained, the default)', () => {
  const result = mapMedicationRequest(prescriptionItem(), FIXED_CTX);
  const mr = request(result);

  it('carries the Medication in contained and refers to it as #medication, with no Medication parent', () => {
    expect(mr.contained).toHaveLength(1);
    const med = mr.contained?.[0] as Medication;
    expect(med.resourceType).toBe('Medication');
    expect(med.id).toBe('medication');
    expect(mr.medicationReference).toEqual({ reference: '#medication', display: 'Paracetamol 500 mg Tablet (OMEGRIP)' });
    expect(result.ok && result.parents.map((p) => p.type)).toEqual(['Patient', 'Encounter', 'Practitioner']);
  });

  it('gives the Medication its identifier, MedicationType, form, KFA product code and ingredient with strength', () => {
    const med = mr.contained?.[0] as Medication;
    expect(med.identifier).toEqual([{ system: 'http://sys-ids.kemkes.go.id/medication/100011961', use: 'official', value: 'RX-1-1' }]);
    expect(med.extension).toEqual([{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/MedicationType', valueCodeableConcept: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/medication-type', code: 'NC', display: 'Non-compound' }] } }]);
    expect(med.form?.coding?.[0]).toEqual({ system: 'http://terminology.kemkes.go.id/CodeSystem/medication-form', code: 'BS066', display: 'Tablet' });
    expect(med.code?.coding?.[0]).toEqual({ system: 'http://sys-ids.kemkes.go.id/kfa', code: '93002225', display: 'Paracetamol 500 mg Tablet (OMEGRIP)' });
    expect(med.ingredient).toEqual([
      {
        itemCodeableConcept: { coding: [{ system: 'http://sys-ids.kemkes.go.id/kfa', code: '91000101', display: 'Paracetamol' }] },
        isActive: true,
        strength: {
          numerator: { value: 500, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
          denominator: { value: 1, unit: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' },
        },
      },
    ]);
  });

  it('is valid R4 once its placeholders are resolved (the contained resource is referenced)', () => {
    const resolved = resolvePlaceholders(mr, dummyId);
    expect(resolved.ok).toBe(true);
    expect(resolved.ok && validateR4(resolved.body)).toEqual([]);
  });

  it('reports a bad contained Medication on the MedicationRequest itself', () => {
    const bad = issuesOf(mapMedicationRequest(prescriptionItem({ kfaCode: '12345678' }), FIXED_CTX));
    expect(bad.join('\n')).toMatch(/^MedicationRequest\.contained\[0\]\.code\.coding\[0\]\.code: Code not found: '12345678'/m);
  });

  it('plans no Medication items in contained mode, and plans them in separate mode', () => {
    expect(plannedTypes('contained')).not.toContain('Medication');
    expect(plannedTypes()).not.toContain('Medication');
    expect(plannedTypes('separate')).toContain('Medication');
    expect(plannedTypes('contained')).toContain('MedicationRequest');
  });
});

describe('MedicationRequest with MEDICATION_MODE=separate', () => {
  it('refers to the item of its own Medication and waits for it', () => {
    const result = mapMedicationRequest(prescriptionItem(), SEPARATE);
    const mr = request(result);
    expect(mr.contained).toBeUndefined();
    expect(mr.medicationReference?.reference).toBe('Medication/{{Medication:1}}');
    expect(result.ok && result.parents).toContainEqual({ type: 'Medication', sourceKey: '1' });
  });

  it('leaves Medication problems to the Medication item', () => {
    expect(mapMedicationRequest(prescriptionItem({ kfaCode: null }), SEPARATE).ok).toBe(true);
    expect(issuesOf(mapMedication(prescriptionItem({ kfaCode: null }), FIXED_CTX)).join()).toContain('has no KFA code');
  });
});

describe('MedicationRequest elements of Playbook v6.3 §16', () => {
  const mr = request(mapMedicationRequest(prescriptionItem(), FIXED_CTX));

  it('has two identifiers, use official: the line (identifier[0], what the send path looks up) and the prescription', () => {
    expect(mr.identifier).toEqual([
      { system: 'http://sys-ids.kemkes.go.id/prescription-item/100011961', use: 'official', value: 'RX-1-1' },
      { system: 'http://sys-ids.kemkes.go.id/prescription/100011961', use: 'official', value: 'RX-1' },
    ]);
    expect(mr.groupIdentifier).toBeUndefined();
  });

  it('writes the dosage with timing.repeat, an ATC route and the patient instruction', () => {
    const dosage = mr.dosageInstruction?.[0];
    expect(dosage?.timing).toEqual({ repeat: { frequency: 3, period: 1, periodUnit: 'd' } });
    expect(dosage?.route).toEqual({ coding: [{ system: 'http://www.whocc.no/atc', code: 'O', display: 'Oral' }] });
    expect(dosage?.patientInstruction).toBe('3 x 1 tablet, sesudah makan');
    expect(dosage?.additionalInstruction).toEqual([{ text: 'sesudah makan' }]);
  });

  it('refuses a line without times per day or without an ATC route', () => {
    expect(issuesOf(mapMedicationRequest(prescriptionItem({ frequency: null }), FIXED_CTX)).join()).toContain('MedicationRequest.dosageInstruction[0].timing.repeat');
    expect(issuesOf(mapMedicationRequest(prescriptionItem({ route: 'topical' }), FIXED_CTX)).join()).toMatch(/route 'topical' has no WHO ATC administration route/);
    expect(issuesOf(mapMedicationRequest(prescriptionItem({ route: null }), FIXED_CTX)).join()).toMatch(/has no route: the Playbook requires/);
  });

  it('allows substitution unless Dekacare says no', () => {
    expect(mr.substitution).toEqual({ allowedBoolean: true });
    expect(request(mapMedicationRequest(prescriptionItem({ substitutionAllowed: false }), FIXED_CTX)).substitution).toEqual({ allowedBoolean: false });
  });

  it('asks for a dispense with quantity, interval, validity, repeats and the facility as performer', () => {
    expect(mr.dispenseRequest).toEqual({
      dispenseInterval: { value: 3, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
      validityPeriod: { start: '2026-11-20T03:00:00+00:00', end: '2026-11-23T03:00:00+00:00' },
      numberOfRepeatsAllowed: 0,
      quantity: { value: 9, unit: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' },
      expectedSupplyDuration: { value: 3, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
      performer: { reference: 'Organization/100011961' },
    });
    expect(request(mapMedicationRequest(prescriptionItem({ repeats: 2 }), FIXED_CTX)).dispenseRequest?.numberOfRepeatsAllowed).toBe(2);
  });

  it('accepts a validity that ends after "now" but not one that ends before the prescription', () => {
    expect(mapMedicationRequest(prescriptionItem({ validUntil: '2026-12-20 10:00:00' }), FIXED_CTX).ok).toBe(true);
    expect(issuesOf(mapMedicationRequest(prescriptionItem({ validUntil: '2026-11-19 10:00:00' }), FIXED_CTX)).join()).toContain('is not after it was written');
  });

  it('sends the course of therapy in the HL7 code system, and refuses an unknown one', () => {
    expect(mr.courseOfTherapyType).toEqual({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy', code: 'acute', display: 'Short course (acute) therapy' }] });
    expect(request(mapMedicationRequest(prescriptionItem({ courseOfTherapy: 'continuous' }), FIXED_CTX)).courseOfTherapyType?.coding?.[0]?.code).toBe('continuous');
    expect(request(mapMedicationRequest(prescriptionItem({ courseOfTherapy: null }), FIXED_CTX)).courseOfTherapyType).toBeUndefined();
    expect(issuesOf(mapMedicationRequest(prescriptionItem({ courseOfTherapy: 'forever' }), FIXED_CTX)).join()).toContain("Code not found: 'forever'");
  });

  it("gives the visit's primary diagnosis as the reason, and none when that code is malformed", () => {
    expect(mr.reasonCode).toEqual([{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J06.9', display: 'Acute upper respiratory infection, unspecified' }] }]);
    expect(request(mapMedicationRequest(prescriptionItem({ reasonIcd10Code: 'ZZZ' }), FIXED_CTX)).reasonCode).toBeUndefined();
    expect(request(mapMedicationRequest(prescriptionItem({ reasonIcd10Code: null }), FIXED_CTX)).reasonCode).toBeUndefined();
  });
});

describe('compounded drugs (racikan)', () => {
  it('sends a d.t.d. compound (SD) without a product code, with its KFA substance and strength per capsule', () => {
    const built = buildMedication(compound({}), FIXED_CTX);
    expect(built.issues).toEqual([]);
    expect(built.medication?.code).toBeUndefined();
    expect(built.medication?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('SD');
    expect(built.medication?.ingredient?.[0]?.strength?.denominator).toEqual({ value: 1, unit: 'CAP', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'CAP' });
    expect(built.display).toBe('Racikan Kapsul Parasetamol 125 mg');
  });

  it('lets a compound divided into equal parts (EP) name the product divided: 10 TAB per 30 CAP', () => {
    const built = buildMedication(compound({ medicationType: 'EP', ingredients: [{ kfaCode: '93002225', name: 'Paracetamol 500 mg Tablet (OMEGRIP)', strengthValue: 10, strengthUnit: 'TAB', perValue: 30, perUnit: 'CAP' }] }), FIXED_CTX);
    expect(built.issues).toEqual([]);
    expect(built.medication?.ingredient?.[0]?.itemCodeableConcept?.coding?.[0]?.code).toBe('93002225');
    expect(built.medication?.ingredient?.[0]?.strength?.numerator?.value).toBe(10);
  });

  it('refuses a compound with an uncoded ingredient, a product as a d.t.d. ingredient, no strength or no ingredients', () => {
    const uncoded = buildMedication(compound({ ingredients: [{ kfaCode: null, name: 'Gliseril Guaiakolat', strengthValue: 50, strengthUnit: 'mg', perValue: 1, perUnit: 'CAP' }] }), FIXED_CTX);
    expect(uncoded.medication).toBeNull();
    expect(uncoded.issues.map((i) => i.message).join()).toContain("ingredient 'Gliseril Guaiakolat' of this compounded drug has no KFA code");
    const product = buildMedication(compound({ ingredients: [{ kfaCode: '93002225', name: 'X', strengthValue: 1, strengthUnit: 'TAB', perValue: 1, perUnit: 'CAP' }] }), FIXED_CTX);
    expect(product.issues.map((i) => i.message).join()).toContain('needs a KFA substance code (91…)');
    const noStrength = buildMedication(compound({ ingredients: [{ kfaCode: '91000101', name: 'Paracetamol', strengthValue: null, strengthUnit: null, perValue: null, perUnit: null }] }), FIXED_CTX);
    expect(noStrength.issues.map((i) => i.path)).toEqual(['Medication.ingredient[0].strength']);
    expect(buildMedication(compound({ ingredients: [] }), FIXED_CTX).issues.map((i) => i.path)).toEqual(['Medication.ingredient']);
  });

  it('requires a product code of a non-compound drug and a known medication type', () => {
    expect(buildMedication(prescriptionItem({ kfaCode: null }), FIXED_CTX).issues.map((i) => i.path)).toEqual(['Medication.code']);
    expect(buildMedication(prescriptionItem({ kfaCode: '91000101' }), FIXED_CTX).issues[0]?.message).toContain('starting with 92 (virtual) or 93 (actual product)');
    expect(buildMedication(prescriptionItem({ medicationType: 'XX' }), FIXED_CTX).issues[0]?.message).toContain("Code not found: 'XX' in system: http://terminology.kemkes.go.id/CodeSystem/medication-type");
  });

  it('sends only the coded ingredients of a product: its ingredients are optional there', () => {
    const built = buildMedication(prescriptionItem({ ingredients: [{ kfaCode: null, name: 'Unknown', strengthValue: 1, strengthUnit: 'mg', perValue: 1, perUnit: 'TAB' }] }), FIXED_CTX);
    expect(built.issues).toEqual([]);
    expect(built.medication?.ingredient).toBeUndefined();
  });
});
