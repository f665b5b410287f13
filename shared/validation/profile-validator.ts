// Checks a payload against its type's SATUSEHAT profile (the snapshots in profiles/, built by
// scripts/build-profile-snapshots.ts) and every FHIR `required` binding, base R4's and the profile's.
//
// Medplum's validator takes a profile (`validateResource(resource, { profile })`), but it applies
// it to the resource's own elements only (below them it falls back to base R4 types), counts slices
// without validating their content, checks no binding, and parses the 30–60 kB snapshot again on
// every call (5–30 ms here). So Medplum checks base R4 (r4-validator.ts) and this module walks the
// profile's schema, parsed once by Medplum: cardinality, fixed/pattern values, choice types and
// slices at every level of the profile (e.g. Encounter.location.extension:serviceClass), each
// extension against its IG definition, and required bindings. The IG's invariants are R4's own
// (obs-3, con-3 …: the same expressions), so base R4 already evaluates them.
import { crawlTypedValue, loadDataType, toTypedValue, tryGetDataType } from '@medplum/core';
import type { InternalSchemaElement, InternalTypeSchema, SliceDefinition, TypedValue } from '@medplum/core';
import type { Coding, CodeableConcept, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { readdirSync, readFileSync } from 'node:fs';
import { ensureR4Definitions } from './r4-validator.js';

const PROFILES = new URL('./profiles/', import.meta.url);
const MAX_LISTED = 8;

interface Profile {
  sd: StructureDefinition;
  schema: InternalTypeSchema;
  /** Bindings the profile sets, by element path; they replace base R4's there. */
  bindings: Map<string, { strength?: string; valueSet?: string }>;
}

interface ValueSetFile {
  codes: Record<string, Record<string, string[]>>;
  unchecked: Record<string, string>;
  boundCodeKeys: string[];
}

let state: { profiles: Map<string, Profile>; extensions: Map<string, Profile>; valueSets: Map<string, Map<string, Set<string>>>; boundCodeKeys: string[] } | undefined;

const readSd = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as StructureDefinition;

function load(sd: StructureDefinition): Profile {
  loadDataType(sd);
  const schema = tryGetDataType(sd.type, sd.url)!;
  const bindings = new Map(sd.snapshot!.element.filter((e) => e.binding && !e.id!.includes(':')).map((e) => [e.path, e.binding!]));
  return { sd, schema, bindings };
}

function ensureProfiles(): NonNullable<typeof state> {
  if (state) return state;
  ensureR4Definitions();
  const extensions = new Map<string, Profile>();
  for (const file of readdirSync(new URL('extensions/', PROFILES)).sort()) {
    const profile = load(readSd(new URL(`extensions/${file}`, PROFILES)));
    extensions.set(profile.sd.url, profile);
  }
  const profiles = new Map<string, Profile>();
  for (const file of readdirSync(PROFILES).filter((f) => f.endsWith('.json') && f !== 'value-sets.json')) {
    const profile = load(readSd(new URL(file, PROFILES)));
    profiles.set(profile.sd.type, profile);
  }
  const file = JSON.parse(readFileSync(new URL('value-sets.json', PROFILES), 'utf8')) as ValueSetFile;
  const valueSets = new Map(Object.entries(file.codes).map(([url, bySystem]) => [url, new Map(Object.entries(bySystem).map(([s, codes]) => [s, new Set(codes)]))]));
  state = { profiles, extensions, valueSets, boundCodeKeys: file.boundCodeKeys };
  return state;
}

/** JSON keys whose values a required binding on a `code` reads (status, intent, category …): the memo keeps them literal. */
export function boundCodeKeys(): string[] {
  return ensureProfiles().boundCodeKeys;
}

/** The canonical url of the SATUSEHAT profile for this type, if the IG has one. */
export function profileUrlFor(resourceType: string): string | undefined {
  return ensureProfiles().profiles.get(resourceType)?.sd.url;
}

// ---------------------------------------------------------------------------------------------
// Required bindings

const shortVs = (url: string) => url.split('|')[0]!.split('/').pop()!;

function listed(codes: Map<string, Set<string>>): string {
  const all = [...codes.values()].flatMap((s) => [...s]);
  return all.length > MAX_LISTED ? `${all.slice(0, MAX_LISTED).join(', ')}, … (${all.length} codes)` : all.join(', ');
}

function codingIn(coding: Coding | undefined, codes: Map<string, Set<string>>): boolean {
  return !!coding?.system && !!coding.code && !!codes.get(coding.system)?.has(coding.code);
}

function bindingError(value: TypedValue, path: string, valueSet: string, codes: Map<string, Set<string>>): string | undefined {
  const where = `${path}: `;
  const tail = `is not in the required ValueSet ${shortVs(valueSet)} (allowed: ${listed(codes)})`;
  if (value.type === 'code' && typeof value.value === 'string') {
    return [...codes.values()].some((s) => s.has(value.value as string)) ? undefined : `${where}"${value.value}" ${tail}`;
  }
  if (value.type === 'Coding') {
    const coding = value.value as Coding;
    return codingIn(coding, codes) ? undefined : `${where}${coding.system ?? '(no system)'}|${coding.code ?? '(no code)'} ${tail}`;
  }
  if (value.type === 'CodeableConcept') {
    const cc = value.value as CodeableConcept;
    if (cc.coding?.some((c) => codingIn(c, codes))) return undefined;
    const given = cc.coding?.map((c) => `${c.system ?? '(no system)'}|${c.code ?? '(no code)'}`).join(', ') || 'no coding';
    return `${where}${given} ${tail}`;
  }
  return undefined;
}

function bindingErrors(resource: Resource, profile: Profile | undefined, root: string, out: string[]): void {
  const { valueSets } = ensureProfiles();
  crawlTypedValue(
    toTypedValue(resource),
    {
      visitProperty(_parent, key, _path, propertyValues, schema) {
        const element = schema.elements[key];
        if (!element) return;
        const binding = profile?.bindings.get(element.path) ?? element.binding;
        if (binding?.strength !== 'required' || !binding.valueSet) return;
        const codes = valueSets.get(binding.valueSet.split('|')[0]!);
        if (!codes) return;
        for (const value of propertyValues.flat()) {
          if (value?.value === undefined) continue;
          const error = bindingError(value, root + value.path.slice(value.path.indexOf('.')), binding.valueSet, codes);
          if (error) out.push(error);
        }
      },
    },
    { skipMissingProperties: true },
  );
}

// ---------------------------------------------------------------------------------------------
// The profile's structure: cardinality, fixed/pattern values, choice types, slices, extensions

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The keys of a choice element present in `node` (`value[x]` → valueQuantity, valueString …). */
function choiceKeys(node: Record<string, unknown>, key: string): string[] {
  const stem = key.slice(0, -3);
  return Object.keys(node).filter((k) => k.startsWith(stem) && /^[A-Z]/.test(k.slice(stem.length)));
}

/** The values at a dotted element path such as `value[x].coding.system` below `node`. */
function valuesAt(node: unknown, path: string): unknown[] {
  let current: unknown[] = [node];
  for (const step of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (!isRecord(item)) continue;
      const keys = step.endsWith('[x]') ? choiceKeys(item, step) : [step];
      for (const k of keys) next.push(...asArray(item[k]));
    }
    current = next;
  }
  return current;
}

/** Does `value` carry everything `pattern` has (FHIR pattern[x]); with `exact`, nothing more (fixed[x]). */
function matches(value: unknown, pattern: unknown, exact: boolean): boolean {
  if (!isRecord(pattern) && !Array.isArray(pattern)) return value === pattern;
  if (Array.isArray(pattern)) {
    const values = asArray(value);
    return pattern.every((p) => values.some((v) => matches(v, p, exact))) && (!exact || values.length === pattern.length);
  }
  if (!isRecord(value)) return false;
  if (exact && Object.keys(value).some((k) => !(k in pattern))) return false;
  return Object.entries(pattern).every(([k, p]) => matches(value[k], p, exact));
}

function countError(path: string, count: number, element: { min: number; max: number }, slice?: string): string | undefined {
  if (count >= element.min && count <= element.max) return undefined;
  const range = `${element.min}..${Number.isFinite(element.max) ? element.max : '*'}`;
  if (slice) return `${path}: Incorrect number of values provided for slice '${slice}': expected ${range}, but found ${count}`;
  // Medplum's wording, so that a finding base R4 also makes is reported once.
  return count === 0 ? `${path}: Missing required property` : `${path}: Invalid number of values: expected ${range}, but found ${count}`;
}

function sliceOf(value: unknown, slices: SliceDefinition[]): SliceDefinition | undefined {
  if (!isRecord(value)) return undefined;
  return slices.find((slice) => {
    const url = slice.elements.url?.fixed?.value;
    return typeof url === 'string' && value.url === url;
  });
}

type Elements = Record<string, InternalSchemaElement>;

function checkSlice(value: Record<string, unknown>, slice: SliceDefinition, path: string, out: string[]): void {
  const { extensions } = ensureProfiles();
  const extension = slice.type.flatMap((t) => t.profile ?? []).map((p) => extensions.get(p)).find(Boolean);
  if (extension) {
    const found: string[] = [];
    checkNode(value, extension.schema.elements, extension.schema.innerTypes, path, found);
    out.push(...found.map((m) => `${m} (extension ${extension.sd.name})`));
  } else {
    // A slice inside an extension (DocumentStatus's statusCode …): its children are its definition.
    checkNode(value, Object.fromEntries(Object.entries(slice.elements).filter(([k]) => !k.includes('.'))), [], path, out);
  }
  // Constraints the profile adds in context, e.g. Medication's medicationType value[x].coding.system.
  for (const [childPath, element] of Object.entries(slice.elements)) {
    if (!childPath.includes('.')) continue;
    for (const v of valuesAt(value, childPath)) checkValue(v, element, `${path}.${childPath}`, out);
  }
}

function checkValue(value: unknown, element: InternalSchemaElement, path: string, out: string[]): void {
  if (element.fixed && !matches(value, element.fixed.value, true)) out.push(`${path}: must be ${JSON.stringify(element.fixed.value)}, got ${JSON.stringify(value)}`);
  if (element.pattern && !matches(value, element.pattern.value, false)) out.push(`${path}: must match ${JSON.stringify(element.pattern.value)}`);
}

function checkNode(node: Record<string, unknown>, elements: Elements, innerTypes: InternalTypeSchema[], path: string, out: string[]): void {
  for (const [key, element] of Object.entries(elements)) {
    if (key.includes('.')) continue;
    let values: unknown[];
    let at = (i: number) => `${path}.${key}[${i}]`;
    if (key.endsWith('[x]')) {
      const keys = choiceKeys(node, key);
      const allowed = new Set(element.type.map((t) => key.slice(0, -3) + capitalised(t.code)));
      for (const k of keys) if (!allowed.has(k)) out.push(`${path}.${k}: ${k} is not allowed here (allowed: ${[...allowed].slice(0, MAX_LISTED).join(', ')}${allowed.size > MAX_LISTED ? ', …' : ''})`);
      values = keys.flatMap((k) => asArray(node[k]));
      at = () => `${path}.${keys[0]}`;
    } else {
      values = asArray(node[key]);
      if (!Array.isArray(node[key])) at = () => `${path}.${key}`;
    }
    const sliceErrors: string[] = [];
    if (element.slicing) {
      const counts = new Map<string, number>();
      values.forEach((value, i) => {
        const slice = sliceOf(value, element.slicing!.slices);
        if (!slice) return;
        counts.set(slice.name, (counts.get(slice.name) ?? 0) + 1);
        checkSlice(value as Record<string, unknown>, slice, at(i), out);
      });
      for (const slice of element.slicing.slices) {
        const sliceError = countError(`${path}.${key}`, counts.get(slice.name) ?? 0, slice, slice.name);
        if (sliceError) sliceErrors.push(sliceError);
      }
    }
    // 'slice transportedTime: expected 1..1, found 0' says more than 'Missing required property'.
    const error = values.length === 0 && sliceErrors.length > 0 ? undefined : countError(`${path}.${key}`, values.length, element);
    if (error) out.push(error);
    out.push(...sliceErrors);
    values.forEach((value, i) => checkValue(value, element, at(i), out));
    // Into the profile's own backbones (its inner types); data types are base R4's (Medplum checks them).
    const inner = element.type.length === 1 ? innerTypes.find((t) => t.name === element.type[0]!.code) : undefined;
    if (inner) values.forEach((value, i) => isRecord(value) && checkNode(value, inner.elements, innerTypes, at(i), out));
  }
}

/**
 * Errors of this resource against its SATUSEHAT profile and every required binding, one message per
 * problem ('Specimen.extension: Missing required property'), [] when it conforms. Types the IG does
 * not profile get the binding check only. `root` names where the resource sits (for contained ones);
 * messages in `alreadyReported` (base R4's) are not repeated.
 */
export function profileErrors(resource: Resource, root: string = resource.resourceType, alreadyReported: ReadonlySet<string> = new Set()): string[] {
  const { profiles } = ensureProfiles();
  const profile = profiles.get(resource.resourceType);
  const out: string[] = [];
  if (profile) {
    const structural: string[] = [];
    checkNode(resource as unknown as Record<string, unknown>, profile.schema.elements, profile.schema.innerTypes, root, structural);
    // Base R4's own findings come back from the profile too (it contains R4): say them once.
    out.push(...structural.filter((m) => !alreadyReported.has(m)).map((m) => `${m} (SATUSEHAT profile ${profile.sd.name})`));
  }
  try {
    bindingErrors(resource, profile, root, out);
  } catch (err) {
    // Medplum's crawler refuses what is not FHIR at all (an unknown type); base R4 says why.
    out.push(`${root}: required bindings not checked: ${(err as Error).message}`);
  }
  const contained = (resource as { contained?: Resource[] }).contained ?? [];
  contained.forEach((r, i) => {
    if (r?.resourceType) out.push(...profileErrors(r, `${root}.contained[${i}]`, alreadyReported));
  });
  return [...new Set(out)];
}
