// In-memory resource store with an identifier index, so duplicate checks and searches are O(1).
import type { JsonObject } from './types.js';

export interface VersionMeta {
  versionId: string;
  lastUpdated: string;
  /** Epoch ms, for the Last-Modified header. */
  ms: number;
}

// Key parts are joined with a control character that cannot appear in a URL or identifier value.
const SEP = '\u0001';
export const identifierKey = (type: string, system: string, value: string): string => `${type}${SEP}${system}${SEP}${value}`;
const valueKey = (type: string, value: string): string => `${type}${SEP}${SEP}${value}`;

/** The identifier list; a few resources (Composition) carry a single Identifier instead. */
function identifiersOf(resource: JsonObject): unknown[] {
  const ids = resource.identifier;
  if (Array.isArray(ids)) return ids;
  return ids && typeof ids === 'object' ? [ids] : [];
}

/** type|system|value keys of a resource's identifiers (deduplicated). */
export function identifierKeys(type: string, resource: JsonObject): string[] {
  const ids = identifiersOf(resource);
  const keys = new Set<string>();
  for (const raw of ids) {
    const ident = raw as JsonObject | null;
    if (ident && typeof ident.system === 'string' && typeof ident.value === 'string') keys.add(identifierKey(type, ident.system, ident.value));
  }
  return [...keys];
}

/**
 * Identifier systems that several resources share by design, so they never make a duplicate: the
 * prescription number every line of one prescription carries next to its own prescription-item
 * identifier (Playbook v6.3 §16, the IG's MedicationRequest examples).
 */
const SHARED_SYSTEM_RE = /^http:\/\/sys-ids\.kemkes\.go\.id\/prescription\/[^/]+$/;
const isSharedKey = (key: string): boolean => SHARED_SYSTEM_RE.test(key.split(SEP)[1] ?? '');

/** The identifier keys that must be unique per type (20002): all but the shared ones. */
export function uniqueIdentifierKeys(type: string, resource: JsonObject): string[] {
  return identifierKeys(type, resource).filter((k) => !isSharedKey(k));
}

function valueKeys(type: string, resource: JsonObject): string[] {
  const ids = identifiersOf(resource);
  const keys = new Set<string>();
  for (const raw of ids) {
    const ident = raw as JsonObject | null;
    if (ident && typeof ident.value === 'string') keys.add(valueKey(type, ident.value));
  }
  return [...keys];
}

export class ResourceStore {
  private readonly byType = new Map<string, Map<string, JsonObject>>();
  private readonly index = new Map<string, Set<string>>();
  private readonly byValue = new Map<string, Set<string>>();
  private lastNs = 0n;
  /** Sum over identifier keys of (resources holding it - 1). Duplicate checks should keep this 0. */
  duplicateIdentifiers = 0;

  get(type: string, id: string): JsonObject | undefined {
    return this.byType.get(type)?.get(id);
  }

  has(type: string, id: string): boolean {
    return this.byType.get(type)?.has(id) ?? false;
  }

  all(type: string): JsonObject[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [type, map] of this.byType) if (map.size > 0) out[type] = map.size;
    return out;
  }

  /** Ids of other resources of `type` that already hold one of `resource`'s identifiers. */
  conflicts(type: string, resource: JsonObject, selfId?: string): string[] {
    const out: string[] = [];
    for (const key of uniqueIdentifierKeys(type, resource)) {
      for (const id of this.index.get(key) ?? []) if (id !== selfId) out.push(id);
    }
    return out;
  }

  findByIdentifier(type: string, system: string | null, value: string): JsonObject[] {
    const ids = system === null ? this.byValue.get(valueKey(type, value)) : this.index.get(identifierKey(type, system, value));
    const out: JsonObject[] = [];
    for (const id of ids ?? []) {
      const r = this.get(type, id);
      if (r) out.push(r);
    }
    return out;
  }

  /** Stores (insert or replace) a resource that already has `id`; stamps a new meta version. */
  put(type: string, resource: JsonObject): VersionMeta {
    const id = resource.id as string;
    let map = this.byType.get(type);
    if (!map) {
      map = new Map();
      this.byType.set(type, map);
    }
    const previous = map.get(id);
    if (previous) this.unindex(type, id, previous);
    const version = this.nextVersion();
    const meta = typeof resource.meta === 'object' && resource.meta !== null ? (resource.meta as JsonObject) : {};
    resource.meta = { ...meta, versionId: version.versionId, lastUpdated: version.lastUpdated };
    map.set(id, resource);
    this.reindex(type, id, resource);
    return version;
  }

  /** Removes a resource; false when there was none. */
  remove(type: string, id: string): boolean {
    const resource = this.get(type, id);
    if (!resource) return false;
    this.unindex(type, id, resource);
    this.byType.get(type)!.delete(id);
    return true;
  }

  clear(): void {
    this.byType.clear();
    this.index.clear();
    this.byValue.clear();
    this.duplicateIdentifiers = 0;
  }

  private reindex(type: string, id: string, resource: JsonObject): void {
    for (const key of identifierKeys(type, resource)) {
      let set = this.index.get(key);
      if (!set) {
        set = new Set();
        this.index.set(key, set);
      }
      if (set.size > 0 && !set.has(id) && !isSharedKey(key)) this.duplicateIdentifiers++;
      set.add(id);
    }
    for (const key of valueKeys(type, resource)) {
      let set = this.byValue.get(key);
      if (!set) {
        set = new Set();
        this.byValue.set(key, set);
      }
      set.add(id);
    }
  }

  private unindex(type: string, id: string, resource: JsonObject): void {
    for (const key of identifierKeys(type, resource)) {
      const set = this.index.get(key);
      if (!set?.has(id)) continue;
      if (set.size > 1 && !isSharedKey(key)) this.duplicateIdentifiers--;
      set.delete(id);
      if (set.size === 0) this.index.delete(key);
    }
    for (const key of valueKeys(type, resource)) {
      const set = this.byValue.get(key);
      set?.delete(id);
      if (set?.size === 0) this.byValue.delete(key);
    }
  }

  // SATUSEHAT's versionId is base64 of a nanosecond timestamp (reference A3). Strictly increasing
  // so two writes in the same millisecond still get distinct versions.
  private nextVersion(): VersionMeta {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const ns = nowNs > this.lastNs ? nowNs : this.lastNs + 1000n;
    this.lastNs = ns;
    const ms = Number(ns / 1_000_000n);
    const micros = String((ns / 1000n) % 1_000_000n).padStart(6, '0');
    const lastUpdated = `${new Date(ms).toISOString().slice(0, 19)}.${micros}+00:00`;
    const versionId = Buffer.from(ns.toString()).toString('base64').replace(/=+$/, '');
    return { versionId, lastUpdated, ms };
  }
}
