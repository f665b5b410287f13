// Every official SATUSEHAT IG example of a type we send, adapted as a client would send it, posted to
// the simulator over HTTP. The simulator models SATUSEHAT, so it must accept each one, except the
// examples listed below, which break a documented rule: each must be rejected with exactly those issues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { adaptExample, isUpdateExample, loadIgExamples, seedStored, type IgExample, type Json, type Person } from '../support/ig-examples.js';

const PATIENT_ID = 'P02478375538';
const PRACTITIONER_ID = '10009880728';
// The later of the two date floors in the references (Kamus Validasi's 2022-08-31), so the adapted
// dates are valid whichever floor the simulator applies.
const FLOOR_MS = Date.UTC(2022, 7, 31);
// Measured: 293 of the 337 examples (the other 44 are listed). Below this, the simulator refuses valid input.
const ACCEPTED_FLOOR = 293;

interface Listed {
  /** The documented rule the example breaks (RuleNumber, the IG profile or page, the Playbook). */
  rule: string;
  /** Exactly the issues expected, as `<RuleNumber or -> <expression>`. */
  issues: string[];
}

const tbdSystem = (path: string): Listed => ({ rule: '10002: a `#tbd`/`#tba` placeholder instead of a code system', issues: [`10002 ${path}.coding[0].system`] });
const bareKemkesSystem: Listed = {
  rule: '10002: `http://terminology.kemkes.go.id` is not a CodeSystem URL (the kemkes systems are …/CodeSystem/<name>)',
  issues: ['10002 Observation.code.coding[0].system'],
};
const facilityOrganization: Listed = {
  rule: 'the facility itself (Master Sarana, registered by Kemenkes): a created Organization needs active, type and partOf (IG Organization page, reference A8)',
  issues: ['- Organization.active', '- Organization.type', '- Organization.partOf'],
};
const addressLocation = (issues: string[]): Listed => ({
  rule: 'a Location needs status and physicalType, and managingOrganization (IG Location page, reference A8); these are addresses, not places of the facility',
  issues,
});
const noStatusHistory = '10122 Encounter.statusHistory';

const entry = (i: number, rule: string, path: string): string => `${rule} Bundle.entry[${i}].resource${path}`;
// The TB Bundles are templates: the Encounter has no period, location or statusHistory, references
// are placeholders ($IHS_NUMBER_PASIEN) and a Condition's subject is a bare string.
const tbEncounterSketch = (participant: boolean): string[] => [
  ...(participant ? [entry(0, '10119', '.participant[0].individual')] : []),
  entry(0, '10120', '.location[0].location'),
  entry(0, '10121', '.period.end'),
  entry(0, '10122', '.statusHistory'),
  entry(0, '10123', '.period.start'),
];
const tbRegistration: Listed = {
  rule: '10120/10121/10122/10123: the Encounter has no location, period or statusHistory; 10126: Conditions without encounter; Condition.subject is a string, not a Reference; 10001: `$CODE_…` placeholders as codes',
  issues: [
    ...tbEncounterSketch(false),
    entry(1, '-', '.subject'), entry(2, '-', '.subject'),
    entry(1, '10001', '.code.coding[0].code'), entry(2, '10001', '.code.coding[0].code'),
    entry(1, '10126', '.encounter'), entry(2, '10126', '.encounter'),
  ],
};
const tbMonthlyVisit: Listed = {
  rule: '10119/10120/10121/10122/10123: the Encounter has no participant reference, location, period or statusHistory; an Observation without status and subject; 10001: LOINC code `????`',
  issues: [...tbEncounterSketch(true), entry(2, '-', '.status'), entry(2, '-', '.subject'), entry(3, '10001', '.code.coding[0].code')],
};
const addressEntry = (i: number, managingOrganization: boolean): string[] => [
  entry(i, '-', '.status'),
  entry(i, '-', '.physicalType'),
  ...(managingOrganization ? [entry(i, '-', '.managingOrganization')] : []),
];
const addressRule = 'a Location needs status and physicalType, and managingOrganization (IG Location page, reference A8); the Bundle\'s address Locations have neither';
const cbcObservations = [3, 4, 5, 6, 7, 8, 9, 10];

const LISTED: Record<string, Listed> = {
  'satusehat-usecase/ANC/Encounter-Create-Pembaharuan-Kunjungan-2.json': { rule: '10121: status finished without period.end', issues: ['10121 Encounter.period.end'] },
  'satusehat-usecase/covid/SARI/Encounter-Update-DiagnosaSaatMeninggalkanRS.json': { rule: '10121: status finished without period.end', issues: ['10121 Encounter.period.end'] },
  'satusehat-usecase/example/TB/Encounter-Update.json': { rule: '10121: status finished with period.end equal to period.start (end must be after start)', issues: ['10121 Encounter.period.end'] },
  'satusehat-usecase/example/Example-Encounter-Ambulatory.json': {
    rule: '10117: the only identifier is the hospital\'s own system, none is http://sys-ids.kemkes.go.id/encounter/<org>; 10122: no statusHistory',
    issues: ['10117 Encounter.identifier', noStatusHistory],
  },
  'satusehat-usecase/example/Example-Encounter-Ambulatory-Initial.json': {
    rule: '10117: no identifier with http://sys-ids.kemkes.go.id/encounter/<org>; 10122: no statusHistory',
    issues: ['10117 Encounter.identifier', noStatusHistory],
  },
  'satusehat-usecase/example/Example-Condition-Malignancy-Head-Neck.json': { rule: '10126: Condition without encounter', issues: ['10126 Condition.encounter'] },
  'satusehat-usecase/example/Example-ServiceRequest-Referral.json': { rule: 'ServiceRequest.encounter is 1..1 in the id-fhir profile; the example has none', issues: ['- ServiceRequest.encounter'] },
  'satusehat-usecase/example/Example-ServiceRequest-Referral-Specialist.json': { rule: 'ServiceRequest.encounter is 1..1 in the id-fhir profile; the example has none', issues: ['- ServiceRequest.encounter'] },
  'satusehat-usecase/example/Example-Procedure-Patient-Education-1.json': {
    rule: 'Procedure.encounter is 1..1 in the id-fhir profile; 10002: `https://terminology.kemkes.go.id/procedure` is no code system',
    issues: ['- Procedure.encounter', '10002 Procedure.code.coding[0].system'],
  },
  'satusehat-usecase/example/Example-Procedure-Patient-Education-2.json': {
    rule: 'Procedure.encounter is 1..1 in the id-fhir profile; 10002: `https://terminology.kemkes.go.id/procedure` is no code system',
    issues: ['- Procedure.encounter', '10002 Procedure.code.coding[0].system'],
  },
  'satusehat-usecase/covid/SARI/ServiceRequest-Create-PemeriksaanPathogenesisLainnya.json': tbdSystem('ServiceRequest.code'),
  'satusehat-usecase/example/TB/Observation-Create-Hasil-Skrining-Gejala-TB-1.json': tbdSystem('Observation.code'),
  'satusehat-usecase/example/TB/Observation-Create-Hasil-Skrining-TB-1.json': tbdSystem('Observation.code'),
  'satusehat-usecase/example/TB/Observation-Create-MUAC-1.json': { rule: '10001: LOINC code `#tbd`', issues: ['10001 Observation.code.coding[0].code'] },
  'satusehat-usecase/example/TB/Observation-Create-Comorbid-1.json': { rule: '10001: SNOMED code 398192003 under the LOINC system', issues: ['10001 Observation.code.coding[0].code'] },
  'satusehat-usecase/example/TB/Observation-Create-Pregnancy-Status-1.json': {
    rule: 'valueCodeableConcept holds a bare Coding (system/code) instead of a CodeableConcept with coding[]',
    issues: ['- Observation.valueCodeableConcept.coding'],
  },
  'satusehat-usecase/example/zoonosis/rabies/Observation-PenyebabHewanMenggigit.json': bareKemkesSystem,
  'satusehat-usecase/example/zoonosis/rabies/Observation-SkriningLuka.json': bareKemkesSystem,
  'satusehat-usecase/example/zoonosis/rabies/Observation-TanggalDigigitSebelumnya.json': bareKemkesSystem,
  'satusehat-usecase/example/MortalityRecord/Observation-Create-Jenis-Tempat-Bersalin-1.json': {
    rule: '10002: Observation.code in http://hl7.org/fhir/location-type (a ValueSet of Location types, not an observation code system)',
    issues: ['10002 Observation.code.coding[0].system'],
  },
  'satusehat-usecase/example/TB/DIagnosticReport-Create-Thorax.json': {
    rule: '10002: DiagnosticReport.code in observation-category (a category, not a report code)',
    issues: ['10002 DiagnosticReport.code.coding[0].system'],
  },
  'satusehat-usecase/example/Example-AllergyIntolerance.json': { rule: '10002: RxNorm (US drug codes) instead of KFA/SNOMED', issues: ['10002 AllergyIntolerance.code.coding[0].system'] },
  'satusehat-usecase/example/Example-Medication-Chemo-Oral.json': { rule: '10002: NDC (US drug codes) instead of KFA', issues: ['10002 Medication.code.coding[0].system'] },
  'satusehat-usecase/example/Example-Medication-Chemo-Oral-Dispensed.json': { rule: '10001: `1002930049` is no KFA code (8 digits, 91/92/93…)', issues: ['10001 Medication.code.coding[0].code'] },
  'satusehat-usecase/example/Example-Medication-Compound-Ointment.json': {
    rule: 'Medication.code (KFA) is mandatory except for a compounded drug (Playbook step 16), which says so with the MedicationType extension SD; the example has none (the id-fhir profile requires it)',
    issues: ['- Medication.code'],
  },
  'satusehat-usecase/example/TB/Medication-Create-FDC.json': {
    rule: '10002: `https://` typos of the kemkes medication-form and medication-type CodeSystem URLs',
    issues: ['10002 Medication.form.coding[0].system', '10002 Medication.extension[0].valueCodeableConcept.coding[0].system'],
  },
  'satusehat-usecase/example/Example-MedicationRequest-Compound-Ointment.json': {
    rule: 'dose quantity `ea` is no UCUM unit (a count goes in v3-orderableDrugForm)',
    issues: ['- MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity.code'],
  },
  'satusehat-usecase/example/Example-Organization-10000001.json': facilityOrganization,
  'satusehat-usecase/example/Example-Organization-10000002.json': facilityOrganization,
  'satusehat-usecase/example/Example-Organization-10000003.json': facilityOrganization,
  'satusehat-usecase/example/Example-Organization-F10000002-Hospital.json': facilityOrganization,
  'satusehat-usecase/example/Example-Organization-F10000004-Hospital.json': { rule: 'Organization.active is the string "true", not a boolean', issues: ['- Organization.active'] },
  'satusehat-usecase/example/MortalityRecord/Location-Create-Alamat-Lahir-1.json': addressLocation(['- Location.status', '- Location.physicalType', '- Location.managingOrganization']),
  'satusehat-usecase/example/MortalityRecord/Location-Create-Alamat-Tinggal-1.json': addressLocation(['- Location.status', '- Location.physicalType', '- Location.managingOrganization']),
  'satusehat-usecase/example/MortalityRecord/Location-Create-Lokasi-Tempat-Bersalin-1.json': addressLocation(['- Location.status', '- Location.physicalType', '- Location.managingOrganization']),
  'satusehat-usecase/example/MortalityRecord/Location-Create-Alamat-Meninggal-1.json': addressLocation(['- Location.status', '- Location.physicalType']),
  'satusehat-usecase/example/Example-Bundle-TB-Registrasi-Kasus.json': tbRegistration,
  'satusehat-usecase/example/Example-Bundle-TB-Registrasi-Kasus.xml.json': tbRegistration,
  'satusehat-usecase/example/Example-Bundle-TB-Kunjungan-Bulanan.json': tbMonthlyVisit,
  'satusehat-usecase/example/Example-Bundle-TB-Kunjungan-Bulanan.xml.json': tbMonthlyVisit,
  'satusehat-usecase/example/Example-Bundle-CBC-Test.json': {
    rule: 'a lab order outside any visit: ServiceRequest and DiagnosticReport without encounter (1..1 in the id-fhir profiles), 10130: Observations without encounter, a Specimen without request, 10001: ICD-9 `786.4` under the LOINC system; 20013 for the entries that refer to the failed order',
    issues: [
      entry(0, '-', '.encounter'), entry(1, '-', '.request'), entry(2, '-', '.encounter'), entry(2, '20013', ''),
      ...cbcObservations.flatMap((i) => [entry(i, '10130', '.encounter'), entry(i, '20013', '')]),
      entry(9, '10001', '.code.coding[0].code'),
    ],
  },
  'satusehat-usecase/example/MortalityRecord/Bundle-Create-Maternal-Death-1.json': { rule: addressRule, issues: addressEntry(1, false) },
  'satusehat-usecase/example/MortalityRecord/Bundle-Create-Perinatal-Death-1.json': {
    rule: `${addressRule}; 20021: a urn:uuid reference that matches no entry's fullUrl`,
    issues: [...addressEntry(1, false), entry(0, '20021', '')],
  },
  'satusehat-usecase/example/MortalityRecord/Encounter-Create-Bundle-Create-Perinatal-Death-Lahir-Hidup.json': {
    rule: addressRule,
    issues: [...addressEntry(1, false), ...addressEntry(5, true), ...addressEntry(8, true)],
  },
};

interface Outcome {
  status: number;
  /** `<RuleNumber or -> <expression>` of each issue of a rejection. */
  issues: string[];
}

let sim: RunningSimulator;
let token: string;
const examples = loadIgExamples();
const outcomes = new Map<string, Outcome>();

async function fhir(method: string, path: string, body?: Json): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${sim.fhirUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const issueKey = (i: Json): string => `${/RuleNumber: (\d+)/.exec(String(i.details?.text))?.[1] ?? '-'} ${(i.expression ?? []).join(',')}`;

async function person(type: string, id: string): Promise<Person> {
  const res = await fhir('GET', `/${type}/${id}`);
  expect(res.status).toBe(200);
  return { id, name: res.json.name[0].text };
}

/** POST the adapted example (a Bundle to the base URL); an IG update is then also PUT to the created id. */
async function send(example: IgExample, body: Json): Promise<Outcome> {
  let res = example.type === 'Bundle' ? await fhir('POST', '', body) : await fhir('POST', `/${example.type}`, body);
  if (res.status === 201 && isUpdateExample(example)) res = await fhir('PUT', `/${example.type}/${res.json.id}`, { ...body, id: res.json.id });
  return { status: res.status, issues: res.status < 300 ? [] : (res.json.issue ?? []).map(issueKey).sort() };
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  const auth = await fetch(`${sim.authUrl}/accesstoken?grant_type=client_credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret }).toString(),
  });
  token = ((await auth.json()) as { access_token: string }).access_token;
  const nowMs = Date.now();
  const target = { orgId: sim.orgId, patient: await person('Patient', PATIENT_ID), practitioner: await person('Practitioner', PRACTITIONER_ID), nowMs };
  const stored = await seedStored(target, async (type, body) => {
    const res = await fhir('POST', `/${type}`, body);
    expect(res.status, `${type} seed: ${JSON.stringify(res.json)}`).toBe(201);
    return res.json.id as string;
  });
  for (const [i, example] of examples.entries()) {
    outcomes.set(example.file, await send(example, adaptExample(example, { ...target, stored, floorMs: FLOOR_MS, suffix: `ig${i}` })));
  }
});

afterAll(async () => {
  await sim.close();
});

describe('official IG examples against the simulator', () => {
  it('finds the examples of every type we send, and the simulator accepts more than the measured floor', () => {
    const types = new Set(examples.map((e) => e.type));
    expect([...types].sort()).toEqual([
      'AllergyIntolerance', 'Bundle', 'Composition', 'Condition', 'DiagnosticReport', 'Encounter', 'Location', 'Medication',
      'MedicationRequest', 'Observation', 'Organization', 'Procedure', 'ServiceRequest', 'Specimen',
    ]);
    const accepted = [...outcomes.values()].filter((o) => o.status < 300).length;
    expect(accepted).toBeGreaterThanOrEqual(ACCEPTED_FLOOR);
    expect(accepted + Object.keys(LISTED).length).toBe(examples.length);
  });

  it('lists only files that exist among the examples', () => {
    const files = new Set(examples.map((e) => e.file));
    expect(Object.keys(LISTED).filter((f) => !files.has(f))).toEqual([]);
  });

  it.each(examples.filter((e) => LISTED[e.file] === undefined).map((e) => [e.file]))('accepts %s', (file) => {
    expect(outcomes.get(file)).toEqual({ status: expect.any(Number), issues: [] });
    expect(outcomes.get(file)?.status).toBeLessThan(300);
  });

  it.each(Object.entries(LISTED))('rejects %s with the listed rule', (file, listed) => {
    expect(outcomes.get(file), listed.rule).toEqual({ status: 400, issues: [...listed.issues].sort() });
  });
});
