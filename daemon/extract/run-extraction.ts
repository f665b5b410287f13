// One extraction pass: read each type's source rows in id order, map them (pure), store items and
// revisions, and enqueue what is ready. Streams in batches, so memory stays flat at any size.
import { createHash } from 'node:crypto';
import type { Db } from '../../shared/db/connect.js';
import { applyMappedBatch, hasItemsOfType, type MappedItem } from '../../shared/db/state/items/index.js';
import { readerOf } from '../../shared/db/source/index.js';
import { sourceHighWater } from '../../shared/db/source/watermarks.js';
import { getWatermark, setWatermark } from '../../shared/db/state/watermark-repo.js';
import { plannedTypes, registry } from '../../shared/fhir/registry.js';
import { type BuiltRequest, type MapContext, type MapResult, type ParentRef, type ResourceTypeName } from '../../shared/fhir/types.js';
import type { SendJobData } from '../../shared/types/items.js';
import type { Runtime } from '../runtime.js';
import { WriteWindow } from './write-window.js';

/**
 * Source rows per read. 500 rather than 1,000: a 20,000-visit plan took 17.9 s of node CPU instead
 * of 21.7 s (less garbage survives a batch) and 12,383 items/s instead of 10,768.
 */
const SOURCE_BATCH = 500;
/** Items per state-DB write transaction during extraction. */
const MAX_ITEMS_PER_WRITE = 1000;
/** Batch writes in flight at once within one type (batches of one type never share an item). */
const WRITES_IN_FLIGHT = 3;

export interface ExtractionDeps {
  source: Db;
  state: Db;
  enqueue(jobs: SendJobData[], options?: { delayMs?: number }): Promise<void>;
  /**
   * Types whose jobs start only after this delay: in Bundle mode a Medication waits a little for
   * the visit Bundle of its MedicationRequest to take it along, instead of costing a request.
   */
  delayTypes?: ResourceTypeName[];
  delayMs?: number;
  context: Omit<MapContext, 'now'>;
  now: () => Date;
  batchSize?: number;
  types?: ResourceTypeName[];
  /**
   * Types whose ready items are not enqueued during the pass: in Bundle mode Encounters wait
   * until their children are extracted too, so that they can travel together. The caller
   * enqueues them afterwards (the reconciler enqueues every not_sent item).
   */
  deferTypes?: ResourceTypeName[];
  /**
   * Read only source rows updated since each type's watermark (inclusive), then move the
   * watermark to the table's newest updated_at seen before the pass. Full passes ignore it.
   */
  incremental?: boolean;
  /** Stops between batches (shutdown); the pass then throws and its run is marked failed. */
  signal?: AbortSignal;
  onBatch?(type: ResourceTypeName, counts: TypeCounts): void;
  /** Batch writes in flight at once (default 3; 1 = strictly one after another). */
  writesInFlight?: number;
}

export interface TypeCounts {
  read: number;
  inserted: number;
  changed: number;
  unchanged: number;
  invalid: number;
  blocked: number;
  enqueued: number;
}

export type ExtractionSummary = Partial<Record<ResourceTypeName, TypeCounts>>;

/** Bundle mode with separate Medications: their jobs wait BUNDLE_WAIT_MS for a visit Bundle to take them along. */
export const BUNDLE_DELAYED_TYPES: ResourceTypeName[] = ['Medication'];

/** What every extraction of a running process shares: its connections, clock and send mode. */
export function extractionDefaults(rt: Runtime): Pick<ExtractionDeps, 'source' | 'state' | 'enqueue' | 'context' | 'now' | 'deferTypes' | 'delayTypes' | 'delayMs'> {
  const bundle = rt.config.sendMode === 'bundle';
  return {
    source: rt.source,
    state: rt.state,
    enqueue: rt.enqueue,
    context: { orgId: rt.config.satusehat.orgId, sourceUtcOffset: rt.config.sourceUtcOffset, minResourceDate: rt.config.minResourceDate, medicationMode: rt.config.medicationMode },
    now: () => new Date(),
    deferTypes: bundle ? ['Encounter'] : [],
    delayTypes: bundle && rt.config.medicationMode === 'separate' ? BUNDLE_DELAYED_TYPES : [],
    delayMs: rt.config.bundleWaitMs,
  };
}

/** Stands for the request body while the rest of the hashed value is serialised. */
const BODY_MARK = '\u0000body\u0000';
const BODY_MARK_JSON = JSON.stringify(BODY_MARK);

/**
 * The hashed value is JSON.stringify([request, issues, summary, businessDate]) (stored hashes
 * depend on it). The body, most of it, is serialised once and reused for the revision: the rest
 * is serialised around a mark that is then replaced, which gives the same text because
 * JSON.stringify is compositional. If the mark occurs more than once (in source data), the
 * whole value is serialised as before.
 */
function hashedText(request: BuiltRequest | null, issues: unknown, summary: unknown, businessDate: string | null, bodyJson: string | undefined): string {
  if (!request || bodyJson === undefined) return JSON.stringify([request, issues, summary, businessDate]);
  const outer = JSON.stringify([{ ...request, body: BODY_MARK }, issues, summary, businessDate]);
  const at = outer.indexOf(BODY_MARK_JSON);
  if (at < 0 || outer.indexOf(BODY_MARK_JSON, at + 1) >= 0) return JSON.stringify([request, issues, summary, businessDate]);
  return outer.slice(0, at) + bodyJson + outer.slice(at + BODY_MARK_JSON.length);
}

/** The visit a source row belongs to, as a link: kept for an item that is invalid (it has no other parents). */
function visitLinkOf(row: unknown): ParentRef | null {
  const visitId = (row as { visitId?: unknown } | null)?.visitId;
  return typeof visitId === 'number' && Number.isSafeInteger(visitId) ? { type: 'Encounter', sourceKey: String(visitId) } : null;
}

/**
 * An invalid result has no parents to wait for, but keeps the link to its visit (`visit`): the
 * compliance figure counts a visit complete only when every item naming its Encounter is sent.
 */
export function prepareMapped(result: MapResult, visit: ParentRef | null = null): MappedItem {
  const request = result.ok ? result.request : null;
  const issues = result.ok ? [] : result.issues;
  const bodyJson = request?.body ? JSON.stringify(request.body) : undefined;
  const hash = createHash('sha1').update(hashedText(request, issues, result.summary, result.businessDate, bodyJson)).digest('hex');
  const searchText = [result.sourceKey, ...Object.values(result.summary)].filter(Boolean).join(' ').toLowerCase();
  // The body travels as text from here on: its object graph dies young, cheap for the GC.
  const slim = request && bodyJson !== undefined ? { method: request.method, path: request.path, body: null } : request;
  return { sourceKey: result.sourceKey, businessDate: result.businessDate, summary: result.summary, searchText, hash, request: slim, bodyJson, parents: result.ok ? result.parents : visit ? [visit] : [], issues };
}

export async function runExtraction(deps: ExtractionDeps): Promise<ExtractionSummary> {
  const summary: ExtractionSummary = {};
  const types = plannedTypes(deps.context.medicationMode).filter((t) => !deps.types || deps.types.includes(t));
  for (const type of types) {
    const def = registry[type];
    const counts: TypeCounts = { read: 0, inserted: 0, changed: 0, unchanged: 0, invalid: 0, blocked: 0, enqueued: 0 };
    summary[type] = counts;
    // Taken before reading: rows changed during the pass are read again next time, never missed.
    const highWater = await sourceHighWater(deps.source, type);
    const since = deps.incremental ? ((await getWatermark(deps.state, type)) ?? undefined) : undefined;
    const window = new WriteWindow(deps.writesInFlight ?? WRITES_IN_FLIGHT);
    // A type without items (a backfill) needs no look-up of existing ones; the first batch that
    // meets an existing item after all turns the look-up back on.
    let expectNew = !(await hasItemsOfType(deps.state, type));
    try {
      for await (const rows of readerOf(type).read(deps.source, { batchSize: deps.batchSize ?? SOURCE_BATCH, updatedSince: since })) {
        if (deps.signal?.aborted) throw new Error('extraction interrupted by shutdown');
        const context: MapContext = { ...deps.context, now: deps.now() };
        const map = def.map as (r: unknown, c: MapContext) => MapResult | MapResult[];
        const mapped = (rows as unknown[]).flatMap((row) => {
          const results = map(row, context);
          const visit = type === 'Encounter' ? null : visitLinkOf(row);
          return (Array.isArray(results) ? results : [results]).map((r) => prepareMapped(r, visit));
        });
        // One source row may map to many items (a vital-signs row → up to 9 Observations): store
        // them in slices of at most MAX_ITEMS_PER_WRITE so memory and transactions stay small.
        for (let i = 0; i < mapped.length; i += MAX_ITEMS_PER_WRITE) {
          const slice = mapped.slice(i, i + MAX_ITEMS_PER_WRITE);
          await window.add(async () => {
            const applied = await applyMappedBatch(deps.state, type, slice, { expectNew });
            if (applied.inserted < slice.length) expectNew = false;
            if (!deps.deferTypes?.includes(type)) await deps.enqueue(applied.ready, deps.delayTypes?.includes(type) ? { delayMs: deps.delayMs } : undefined);
            counts.inserted += applied.inserted;
            counts.changed += applied.changed;
            counts.unchanged += applied.unchanged;
            counts.invalid += applied.invalid;
            counts.blocked += applied.blocked;
            counts.enqueued += applied.ready.length;
          });
        }
        counts.read += rows.length;
        deps.onBatch?.(type, counts);
      }
      // Every batch of this type is stored before the next type reads its parents' states.
      await window.drain();
    } finally {
      await window.settle();
    }
    if (highWater) await setWatermark(deps.state, type, highWater);
  }
  return summary;
}
