// `satusehat worklist <kind>` and the TUI's worklists: what to fix in Dekacare so that the share of
// visits sent reaches 100%. Each row says what is wrong, what to fix where, and what waits on it.
import type { Db } from '../db/connect.js';
import { codeProblems, problemItems, unsentVisitsNaming, type ProblemItem } from '../db/state/worklist-repo.js';
import type { Worklist, WorklistKind, WorklistRow } from './api.js';


const TITLES: Record<WorklistKind, string> = {
  patients: 'Patients whose NIK SATUSEHAT does not know (or that have none)',
  practitioners: 'Practitioners without an IHS number (SATUSEHAT finds no practitioner with the NIK)',
  drugs: 'Drugs without a KFA code (their prescriptions are not sent)',
  lab: 'Lab tests without a valid LOINC code',
  locations: 'Rooms and units without a Location or Organization on SATUSEHAT',
};

const clip = (text: string | null, max = 200) => (text === null ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text);

function personFix(item: ProblemItem, who: 'patient' | 'practitioner'): string {
  if (item.errorClass === 'not_found') return `SATUSEHAT knows no ${who === 'patient' ? 'person' : 'practitioner'} with NIK ${item.summary.nik ?? '?'}: check the NIK against the KTP/KK in Dekacare (${who}s.nik); the next sync looks it up again`;
  return clip(item.lastError);
}

function masterFix(item: ProblemItem): string {
  const table = item.type === 'Location' ? 'rooms' : 'units';
  return `${clip(item.lastError, 160)} (fix the ${table === 'rooms' ? 'room' : 'unit'} in Dekacare's ${table}; the next sync sends it)`;
}

export async function worklist(state: Db, kind: WorklistKind, limit = 1_000): Promise<Worklist> {
  let rows: WorklistRow[];
  if (kind === 'patients' || kind === 'practitioners') {
    const type = kind === 'patients' ? 'Patient' : 'Practitioner';
    const items = await problemItems(state, [type], limit);
    const blocks = await unsentVisitsNaming(state, type, items.map((i) => i.sourceKey));
    rows = items.map((i) => ({
      itemId: i.id, type: i.type, name: i.summary.name ?? `#${i.sourceKey}`, detail: i.summary.nik ? `NIK ${i.summary.nik}` : 'no NIK',
      problem: i.errorClass === 'not_found' ? 'NIK not found in SATUSEHAT' : i.status, fix: personFix(i, kind === 'patients' ? 'patient' : 'practitioner'),
      visitsWaiting: blocks.get(i.sourceKey) ?? 0,
    }));
  } else if (kind === 'locations') {
    const items = await problemItems(state, ['Location', 'Organization'], limit);
    const [rooms, units] = await Promise.all([
      unsentVisitsNaming(state, 'Location', items.filter((i) => i.type === 'Location').map((i) => i.sourceKey)),
      unsentVisitsNaming(state, 'Organization', items.filter((i) => i.type === 'Organization').map((i) => i.sourceKey)),
    ]);
    rows = items.map((i) => ({
      itemId: i.id, type: i.type, name: i.summary.name ?? `#${i.sourceKey}`, detail: [i.type === 'Location' ? 'room' : 'unit', i.summary.code].filter(Boolean).join(' '),
      problem: i.status, fix: masterFix(i), visitsWaiting: (i.type === 'Location' ? rooms : units).get(i.sourceKey) ?? 0,
    }));
  } else {
    const drugs = kind === 'drugs';
    const problems = await codeProblems(state, drugs ? ['MedicationRequest', 'Medication'] : ['ServiceRequest', 'Specimen', 'ObservationLab', 'DiagnosticReport'], drugs ? 'KFA' : 'LOINC', drugs ? 'drug' : 'test', limit);
    rows = problems.map((p) => ({
      itemId: p.exampleItemId, type: drugs ? 'drug' : 'lab test', name: p.name, detail: `${p.items} item${p.items === 1 ? '' : 's'}`, problem: 'invalid',
      fix: drugs ? `map it to KFA in Dekacare's drug master (drugs.kfa_code: 92…/93… product, ingredients 91…); e.g. ${clip(p.example, 140)}` : `correct the test's LOINC mapping in Dekacare's lab master; e.g. ${clip(p.example, 140)}`,
      visitsWaiting: p.visits,
    }));
  }
  return { kind, title: TITLES[kind], rows, visitsWaiting: rows.reduce((n, r) => n + r.visitsWaiting, 0) };
}
