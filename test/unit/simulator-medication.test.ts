// The simulator takes what the IG allows for a prescription: a Medication contained in its
// MedicationRequest (referenced as #id), a compound without product code, and the prescription
// number shared by the lines of one prescription next to each line's own identifier.
import type { MedicationRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapMedicationRequest } from '../../shared/fhir/mappers/medication-request.js';
import { resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { ResourceStore } from '../../simulator/store.js';
import type { JsonObject } from '../../simulator/types.js';
import type { ValidationContext } from '../../simulator/validate-common.js';
import { validateResource } from '../../simulator/validate.js';
import { prescriptionItem } from './mappers/prescription-item.js';
import { dummyId, FIXED_CTX } from './mappers/support.js';

const ctx: ValidationContext = { orgId: FIXED_CTX.orgId, now: FIXED_CTX.now.getTime(), hasResource: () => true, isKnownPerson: () => true };

/** What we send for a prescription line, with its parents' ids filled in. */
function sent(over: Parameters<typeof prescriptionItem>[0] = {}): JsonObject {
  const result = mapMedicationRequest(prescriptionItem(over), FIXED_CTX);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('; '));
  const resolved = resolvePlaceholders(result.request.body as MedicationRequest, dummyId);
  if (!resolved.ok) throw new Error('unresolved placeholders');
  return structuredClone(resolved.body) as unknown as JsonObject;
}

const texts = (issues: { details?: { text?: string }; diagnostics?: string }[]) => issues.map((i) => i.details?.text ?? i.diagnostics ?? '');

describe('simulator: MedicationRequest with a contained Medication', () => {
  it('accepts our product and our d.t.d. compound (no product code, KFA substance with strength)', () => {
    expect(validateResource('MedicationRequest', sent(), ctx)).toEqual([]);
    const compound = sent({ kfaCode: null, medicationType: 'SD', formCode: 'BS019', ingredients: [{ kfaCode: '91000101', name: 'Paracetamol', strengthValue: 125, strengthUnit: 'mg', perValue: 1, perUnit: 'CAP' }] });
    expect(validateResource('MedicationRequest', compound, ctx)).toEqual([]);
  });

  it('refuses a #reference without its contained resource, and checks the contained Medication like a posted one', () => {
    const dangling = sent();
    delete dangling.contained;
    expect(texts(validateResource('MedicationRequest', dangling, ctx)).join()).toContain('Reference not found : MedicationRequest.medicationReference.reference : #medication');

    const badCode = sent();
    const med = (badCode.contained as JsonObject[])[0] as JsonObject;
    med.code = { coding: [{ system: 'http://sys-ids.kemkes.go.id/kfa', code: '12345678' }] };
    const issues = validateResource('MedicationRequest', badCode, ctx);
    expect(texts(issues).join()).toContain("Code not found: '12345678'");
    expect(JSON.stringify(issues)).toContain('MedicationRequest.contained[0].code');

    const noIngredients = sent({ kfaCode: null, medicationType: 'SD', ingredients: [{ kfaCode: '91000101', name: 'Paracetamol', strengthValue: 125, strengthUnit: 'mg', perValue: 1, perUnit: 'CAP' }] });
    delete ((noIngredients.contained as JsonObject[])[0] as JsonObject).ingredient;
    expect(texts(validateResource('MedicationRequest', noIngredients, ctx)).join()).toContain('Element not found: MedicationRequest.contained[0].ingredient');
  });

  it('still wants a product code on a non-compound Medication', () => {
    const noCode = sent();
    delete ((noCode.contained as JsonObject[])[0] as JsonObject).code;
    expect(texts(validateResource('MedicationRequest', noCode, ctx)).join()).toContain('Element not found: MedicationRequest.contained[0].code');
  });
});

describe('simulator: duplicate check on prescription lines', () => {
  it('lets the lines of one prescription share prescription/{org}, but not prescription-item/{org}', () => {
    const store = new ResourceStore();
    store.put('MedicationRequest', { ...sent({ id: 1, lineNo: 1 }), id: 'a' });
    const secondLine = sent({ id: 2, lineNo: 2 });
    expect(store.conflicts('MedicationRequest', secondLine)).toEqual([]);
    store.put('MedicationRequest', { ...secondLine, id: 'b' });
    expect(store.duplicateIdentifiers).toBe(0);
    expect(store.conflicts('MedicationRequest', sent({ id: 3, lineNo: 1 }))).toEqual(['a']);
    // Both lines are found by the prescription number, each by its own line number.
    expect(store.findByIdentifier('MedicationRequest', 'http://sys-ids.kemkes.go.id/prescription/100011961', 'RX-1').map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect(store.findByIdentifier('MedicationRequest', 'http://sys-ids.kemkes.go.id/prescription-item/100011961', 'RX-1-2').map((r) => r.id)).toEqual(['b']);
  });
});
