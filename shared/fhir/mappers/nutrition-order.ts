// Dekacare diet note → SATUSEHAT NutritionOrder (Playbook v6.3 §20): intent `proposal` for advice
// to the patient, `order` for the dietitian; the diet type in SNOMED CT when Dekacare has one, the
// advice itself as the oral diet's instruction. Travels in its visit's Bundle.
import type { NutritionOrder } from '@medplum/fhirtypes';
import { sysIdSystem } from '../identifiers.js';
import { DIET_INTENTS, DIET_TYPE_BY_CODE, type DietIntent } from '../terminology/notes.js';
import { SNOMED_SYSTEM, isSnomedId } from '../terminology/snomed.js';
import type { MapContext, MapResult } from '../types.js';
import type { VisitNoteRow } from '../../types/source-rows.js';
import { ParentRefs, clean, invalid, ok } from './common.js';
import { noteBasics } from './visit-note-common.js';

const INTENT_LABEL: Record<DietIntent, string> = { proposal: 'advice', order: 'dietitian' };

export function mapNutritionOrder(row: VisitNoteRow, ctx: MapContext): MapResult {
  const code = clean(row.snomedCode);
  const known = code === null ? undefined : DIET_TYPE_BY_CODE.get(code);
  const display = known?.display ?? clean(row.snomedDisplay);
  const intentRaw = clean(row.dietIntent)?.toLowerCase() ?? 'proposal';
  const intent = (DIET_INTENTS as readonly string[]).includes(intentRaw) ? (intentRaw as DietIntent) : null;
  const { label, common, issues, valid } = noteBasics(row, ctx, 'NutritionOrder', 'Diet', { diet: display ?? code, intent: intent ? INTENT_LABEL[intent] : intentRaw });

  if (row.noteType !== 'diet') issues.push({ path: 'NutritionOrder', message: `${label} is a '${row.noteType}' note, not a diet note` });
  if (code !== null && !isSnomedId(code)) {
    issues.push({ path: 'NutritionOrder.oralDiet.type.coding[0].code', rule: '10001', message: `Code not found: '${code}' in system: ${SNOMED_SYSTEM} (RuleNumber: 10001). ${label} has diet type '${code}', which is not a SNOMED CT concept id` });
  }
  if (intent === null) issues.push({ path: 'NutritionOrder.intent', message: `${label} has diet intent '${intentRaw}' (expected proposal or order)` });
  if (issues.length > 0 || valid === null || intent === null) return invalid(common, issues);

  const refs = new ParentRefs();
  const body: NutritionOrder = {
    resourceType: 'NutritionOrder',
    identifier: [{ system: sysIdSystem('nutritionorder', ctx.orgId), use: 'official', value: String(row.id) }],
    status: 'active',
    intent,
    patient: refs.person('Patient', valid.patientId),
    encounter: refs.ref('Encounter', valid.visitId),
    dateTime: valid.written.utc,
    orderer: refs.person('Practitioner', valid.practitionerId),
    oralDiet: {
      ...(code !== null && { type: [{ coding: [{ system: SNOMED_SYSTEM, code, ...(display !== null && { display }) }], ...(clean(row.title) !== null && { text: clean(row.title) as string }) }] }),
      instruction: valid.text,
    },
  };
  return ok(common, { method: 'POST', path: 'NutritionOrder', body }, refs.list);
}
