// A complete prescription line for mapper tests: Paracetamol 500 mg Tablet (OMEGRIP), real KFA codes.
import type { PrescriptionItemRow } from '../../../shared/types/source-rows.js';

export function prescriptionItem(over: Partial<PrescriptionItemRow> = {}): PrescriptionItemRow {
  return {
    id: 1, prescriptionId: 1, prescriptionNo: 'RX-1', lineNo: 1, visitId: 9, visitNo: 'RJ1', visitStatus: 'finished', encounterClass: 'AMB',
    patientId: 1, patientName: 'P', practitionerId: 2, practitionerName: 'D', prescribedAt: '2026-11-20 10:00:00',
    drugId: 1, drugCode: 'OBT-001', drugName: 'Paracetamol 500 mg Tablet', kfaCode: '93002225', kfaDisplay: null, formCode: 'BS066', formName: 'Tablet',
    medicationType: 'NC', ingredients: [{ kfaCode: '91000101', name: 'Paracetamol', strengthValue: 500, strengthUnit: 'mg', perValue: 1, perUnit: 'TAB' }],
    quantity: 9, quantityUnit: 'TAB', signa: '3 x 1 tablet', frequency: 3, doseAmount: 1, doseUnit: 'TAB', durationDays: 3, route: 'oral', instructions: 'sesudah makan',
    repeats: null, substitutionAllowed: null, courseOfTherapy: 'acute', validUntil: '2026-11-23 10:00:00', reasonIcd10Code: 'J06.9', reasonIcd10Display: null,
    updatedAt: '2026-11-20 10:00:00',
    ...over,
  };
}
