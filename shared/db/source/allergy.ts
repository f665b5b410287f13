// AllergyIntolerance ← Dekacare `allergies` (per patient), with the patient's name and, when it
// was recorded at a visit, that visit's number and the recorder's name. An allergy recorded at a
// visit that was later cancelled keeps its patient but loses the visit link (that Encounter is
// never sent). Allergies are read whatever their visit, since they belong to the patient.
import type { AllergyCategory, AllergyClinicalStatus, AllergyRow, AllergyVerificationStatus } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { sourceReader, updatedAt } from './source-reader.js';
import { toDateTime, toInt, toRefIdOrNull, toText, toTextOrNull } from './values.js';

interface RawAllergy {
  id: unknown;
  patient_id: unknown;
  patient_name: unknown;
  visit_id: unknown;
  visit_no: unknown;
  practitioner_id: unknown;
  practitioner_name: unknown;
  category: unknown;
  allergen_system: unknown;
  allergen_code: unknown;
  allergen_name: unknown;
  clinical_status: unknown;
  verification_status: unknown;
  reaction: unknown;
  recorded_at: unknown;
  updated_at: unknown;
}

export function toAllergyRow(raw: RawAllergy): AllergyRow {
  const system = toText(raw.allergen_system).toLowerCase();
  return {
    id: toInt(raw.id),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toTextOrNull(raw.visit_no),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toTextOrNull(raw.practitioner_name),
    // Unknown vocabulary passes through; the mapper reports it.
    category: toText(raw.category).toLowerCase() as AllergyCategory,
    allergenSystem: system === '' ? null : (system as AllergyRow['allergenSystem']),
    allergenCode: toTextOrNull(raw.allergen_code),
    allergenName: toText(raw.allergen_name),
    clinicalStatus: (toTextOrNull(raw.clinical_status)?.toLowerCase() ?? 'active') as AllergyClinicalStatus,
    verificationStatus: (toTextOrNull(raw.verification_status)?.toLowerCase() ?? 'confirmed') as AllergyVerificationStatus,
    reaction: toTextOrNull(raw.reaction),
    recordedAt: toDateTime(raw.recorded_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readAllergies(db: Db, options?: ReadOptions): AsyncGenerator<AllergyRow[]> {
  return keysetPages<RawAllergy, AllergyRow>(options, 'a.id', 'a.updated_at', () =>
    db('allergies as a')
      .leftJoin('patients as p', 'p.id', 'a.patient_id')
      .leftJoin('visits as v', 'v.id', 'a.visit_id')
      .leftJoin('practitioners as pr', 'pr.id', 'a.practitioner_id')
      .select(
        'a.id',
        'a.patient_id',
        'p.name as patient_name',
        db.raw("CASE WHEN v.status = 'cancelled' THEN NULL ELSE a.visit_id END AS visit_id"),
        db.raw("CASE WHEN v.status = 'cancelled' THEN NULL ELSE v.visit_no END AS visit_no"),
        'a.practitioner_id',
        'pr.name as practitioner_name',
        'a.category',
        'a.allergen_system',
        'a.allergen_code',
        'a.allergen_name',
        'a.clinical_status',
        'a.verification_status',
        'a.reaction',
        'a.recorded_at',
        db.raw('COALESCE(a.updated_at, a.created_at) AS updated_at'),
      ),
  toAllergyRow);
}

export const allergyReader = sourceReader({ tables: ['allergies'], changedAt: [updatedAt('allergies')], read: readAllergies });
