// The MPI (patients) and MNI (practitioners) the simulator pretends to have. Nothing is stored:
// the 20 sandbox people are fixed (reference A5) and every other 16-digit NIK maps to a person
// through a stable hash, so lookups agree across restarts and across simulator instances.
import { createHash } from 'node:crypto';
import type { JsonObject } from './types.js';

export const NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik';
export const NIK_IBU_SYSTEM = 'https://fhir.kemkes.go.id/id/nik-ibu';
export const IHS_SYSTEM = 'https://fhir.kemkes.go.id/id/ihs-number';
export const NAKES_SYSTEM = 'https://fhir.kemkes.go.id/id/nakes-his-number';
export const MASKED_NIK = '################';

export type PersonKind = 'Patient' | 'Practitioner';

interface Seed {
  nik: string;
  id: string;
  name?: string;
  gender?: 'male' | 'female';
  birthDate?: string;
}

// Sandbox dummy data published by SATUSEHAT (reference A5).
export const SANDBOX_PATIENTS: readonly Seed[] = [
  { nik: '9271060312000001', id: 'P02478375538', name: 'Ardianto Putra', gender: 'male', birthDate: '1992-01-09' },
  { nik: '9204014804000002', id: 'P03647103112' },
  { nik: '9104224509000003', id: 'P00805884304' },
  { nik: '9104223107000004', id: 'P00912894463' },
  { nik: '9104224606000005', id: 'P01654557057' },
  { nik: '9104025209000006', id: 'P02280547535' },
  { nik: '9201076001000007', id: 'P01836748436' },
  { nik: '9201394901000008', id: 'P00883356749' },
  { nik: '9201076407000009', id: 'P01058967035' },
  { nik: '9210060207000010', id: 'P02428473601' },
];

export const SANDBOX_PRACTITIONERS: readonly Seed[] = [
  { nik: '7209061211900001', id: '10009880728', name: 'dr. Alexander', gender: 'male' },
  { nik: '3322071302900002', id: '10006926841' },
  { nik: '3171071609900003', id: '10001354453' },
  { nik: '3207192310600004', id: '10010910332' },
  { nik: '6408130207800005', id: '10018180913' },
  { nik: '3217040109800006', id: '10002074224' },
  { nik: '3519111703800007', id: '10012572188' },
  { nik: '5271002009700008', id: '10018452434' },
  { nik: '3313096403900009', id: '10014058550' },
  { nik: '3578083008700010', id: '10001915884' },
];

const SEEDS: Record<PersonKind, { byNik: Map<string, Seed>; byId: Map<string, Seed> }> = {
  Patient: index(SANDBOX_PATIENTS),
  Practitioner: index(SANDBOX_PRACTITIONERS),
};

function index(seeds: readonly Seed[]): { byNik: Map<string, Seed>; byId: Map<string, Seed> } {
  return { byNik: new Map(seeds.map((s) => [s.nik, s])), byId: new Map(seeds.map((s) => [s.id, s])) };
}

/** 64 bits of sha256(salt:input): stable across processes and Node versions. */
function stableHash(salt: string, input: string): bigint {
  return createHash('sha256').update(`${salt}:${input}`).digest().readBigUInt64BE(0);
}

// Derived ids are 9 hash digits + 2 check digits, so any id can be recognised as "issued by the
// rule" without remembering it: an Encounter may cite an IHS looked up before a restart.
const CHECK_MOD: Record<PersonKind, bigint> = { Patient: 97n, Practitioner: 89n };

function withCheck(kind: PersonKind, body: bigint): string {
  const digits = body.toString().padStart(9, '0');
  const check = (body % CHECK_MOD[kind]).toString().padStart(2, '0');
  return (kind === 'Patient' ? 'P' : '') + digits + check;
}

function isDerivedId(kind: PersonKind, id: string): boolean {
  const m = kind === 'Patient' ? /^P(\d{9})(\d{2})$/.exec(id) : /^(\d{9})(\d{2})$/.exec(id);
  if (!m) return false;
  return withCheck(kind, BigInt(m[1] as string)) === id;
}

/**
 * 'Ardianto Putra' -> 'Ar****** Pu***', 'dr. Alexander' -> 'dr. Al*******': each word keeps its
 * first two characters and its punctuation; its other letters and digits are masked.
 */
export function censorName(name: string): string {
  return name
    .split(/(\s+)/)
    .map((word) => word.slice(0, 2) + word.slice(2).replace(/[\p{L}\p{N}]/gu, '*'))
    .join('');
}

/** The name a served Patient/Practitioner carries: `name[0].text`, else given + family. */
export function servedName(person: JsonObject): string | null {
  const first = Array.isArray(person.name) ? (person.name[0] as JsonObject | undefined) : undefined;
  if (!first) return null;
  if (typeof first.text === 'string' && first.text.trim() !== '') return first.text;
  const given = Array.isArray(first.given) ? first.given.filter((g): g is string => typeof g === 'string') : [];
  const joined = [...given, typeof first.family === 'string' ? first.family : ''].join(' ').trim();
  return joined === '' ? null : joined;
}

export const isWellFormedNik = (nik: string): boolean => /^\d{16}$/.test(nik);

/** NIK -> SATUSEHAT id (IHS number / practitioner id), or null when the MPI/MNI does not know the NIK. */
export function resolveNik(kind: PersonKind, nik: string, unknownNikPercent: number): string | null {
  const seed = SEEDS[kind].byNik.get(nik);
  if (seed) return seed.id;
  if (!isWellFormedNik(nik)) return null;
  const h = stableHash(`nik-${kind}`, nik);
  if (Number(h % 100n) < unknownNikPercent) return null;
  return withCheck(kind, (h >> 8n) % 1_000_000_000n);
}

/** True for sandbox ids and for ids the NIK rule can produce. */
export function isKnownPersonId(kind: PersonKind, id: string): boolean {
  return SEEDS[kind].byId.has(id) || isDerivedId(kind, id);
}

const GIVEN_MALE = ['Budi', 'Agus', 'Joko', 'Rizky', 'Dedi', 'Hendra', 'Fajar', 'Yusuf', 'Andi', 'Bayu'];
const GIVEN_FEMALE = ['Siti', 'Dewi', 'Ayu', 'Rina', 'Sri', 'Putri', 'Wulan', 'Indah', 'Lestari', 'Nur'];
const FAMILY = ['Santoso', 'Wijaya', 'Saputra', 'Hidayat', 'Kusuma', 'Pratama', 'Nugroho', 'Siregar', 'Lubis', 'Wibowo'];

function pick<T>(list: readonly T[], n: bigint): T {
  return list[Number(n % BigInt(list.length))] as T;
}

/**
 * A deterministic synthetic person for a known id (same answer for NIK search and read by id). Its
 * name is served censored, as the MPI/MNI do since 21 Nov 2024 (reference A13).
 */
export function buildPerson(kind: PersonKind, id: string): JsonObject {
  const seed = SEEDS[kind].byId.get(id);
  const h = stableHash(`person-${kind}`, id);
  const gender = seed?.gender ?? (h % 2n === 0n ? 'male' : 'female');
  const given = pick(gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE, h >> 4n);
  const family = pick(FAMILY, h >> 12n);
  const generated = kind === 'Practitioner' ? `dr. ${given} ${family}` : `${given} ${family}`;
  const name = seed?.name ?? generated;
  const birthYear = kind === 'Practitioner' ? 1960 + Number((h >> 20n) % 35n) : 1950 + Number((h >> 20n) % 72n);
  const birthDate =
    seed?.birthDate ??
    `${birthYear}-${String(1 + Number((h >> 28n) % 12n)).padStart(2, '0')}-${String(1 + Number((h >> 36n) % 28n)).padStart(2, '0')}`;

  const identifier = [
    { use: 'official', system: NIK_SYSTEM, value: MASKED_NIK },
    { use: 'official', system: IHS_SYSTEM, value: id },
  ];
  if (kind === 'Practitioner') identifier.push({ use: 'official', system: NAKES_SYSTEM, value: id });
  return {
    resourceType: kind,
    id,
    meta: { lastUpdated: '2023-01-01T00:00:00.000000+00:00', versionId: 'MTY3MjUzMTIwMDAwMDAwMDAwMA', profile: [`https://fhir.kemkes.go.id/r4/StructureDefinition/${kind}`] },
    active: true,
    identifier,
    name: [{ use: 'official', text: censorName(name) }],
    gender,
    birthDate,
  };
}

/** Hide NIK values and censor names the way the MPI/MNI do before serving a person. */
export function maskPerson(resource: JsonObject): JsonObject {
  const ids = resource.identifier;
  const identifier = Array.isArray(ids)
    ? ids.map((i: unknown) => {
        const ident = i as JsonObject;
        return ident.system === NIK_SYSTEM || ident.system === NIK_IBU_SYSTEM ? { ...ident, value: MASKED_NIK } : ident;
      })
    : ids;
  const names = Array.isArray(resource.name) ? (resource.name as JsonObject[]) : null;
  const name = names?.map((n) => {
    const text = servedName({ name: [n] });
    return text === null ? n : { ...(n.use !== undefined && { use: n.use }), text: censorName(text) };
  });
  return { ...resource, ...(identifier !== undefined && { identifier }), ...(name && { name }) };
}
