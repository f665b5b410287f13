// The deletion sweep (docs/corrections.md): Dekacare hard-deletes, so what was deleted, or whose
// visit was cancelled, shows only as a source id that its reader no longer returns. The sweep walks
// the sent items of each retractable type in id order, asks the type's own reader for those ids
// (cancelled visits and their rows are left out there), and turns each one not returned into a
// retraction revision sent as an update. Bounded per pass: a cursor per type in control_state.
import type { Db } from '../../shared/db/connect.js';
import { readerOf } from '../../shared/db/source/readers.js';
import { getControlRows, setControl } from '../../shared/db/state/control-bar-repo.js';
import { countFromCounters } from '../../shared/db/state/item-counts-repo.js';
import { retractItems, sweepCandidates, type SweepCandidate } from '../../shared/db/state/items/index.js';
import { formatSatusehatUtc } from '../../shared/fhir/datetime.js';
import { registry } from '../../shared/fhir/registry.js';
import { retractedBody, RETRACTABLE_TYPES } from '../../shared/fhir/retraction.js';
import type { ResourceTypeName } from '../../shared/fhir/types.js';
import type { SendJobData } from '../../shared/types/items.js';

export interface SweepDeps {
  source: Db;
  state: Db;
  enqueue(jobs: SendJobData[]): Promise<void>;
  now?: () => Date;
}

export interface SweepResult {
  checked: number;
  retracted: number;
  ms: number;
  /** Per type: items checked, retracted, and whether the walk reached the end (the cursor starts over). */
  byType: Record<string, { checked: number; retracted: number; wrapped: boolean }>;
}

const CURSOR_KEY = 'deletion_sweep';
const PAGE = 1000;

/** Registry types whose source key is their reader's row id (or `id:part`) and that have a retraction. */
export const SWEPT_TYPES = (Object.keys(registry) as ResourceTypeName[]).filter((t) => {
  const def = registry[t];
  return def.kind === 'create' && (RETRACTABLE_TYPES as readonly string[]).includes(def.fhirType ?? t) && readerOf(t).idColumn !== undefined;
});

/** One pass over at most `budget` sent items, continuing where the previous pass stopped. */
export async function sweepDeletions(deps: SweepDeps, budget = 50_000): Promise<SweepResult> {
  const started = Date.now();
  const cursors = ((await getControlRows(deps.state, [CURSOR_KEY])).get(CURSOR_KEY)?.value ?? {}) as Record<string, number>;
  const result: SweepResult = { checked: 0, retracted: 0, ms: 0, byType: {} };
  const at = formatSatusehatUtc((deps.now ?? (() => new Date()))().getTime());
  // Shares in proportion to each type's sent items (from the counters), so that every type reaches
  // its end in about the same pass and a whole walk checks each item about once; an even share
  // re-walked Encounters three times while the Observations were still on their first walk.
  const sizes = await Promise.all(SWEPT_TYPES.map((type) => countFromCounters(deps.state, { type, statuses: ['sent'] })));
  let remaining = budget;
  for (const [i, type] of SWEPT_TYPES.entries()) {
    const counts = { checked: 0, retracted: 0, wrapped: false };
    result.byType[type] = counts;
    let after = Number(cursors[type] ?? 0);
    // A type that reaches its end leaves the rest of its share to the types after it. At least one
    // row, so a type with nothing sent still reports its end.
    const weightLeft = sizes.slice(i).reduce((a, b) => a + b, 0);
    const perType = Math.max(1, weightLeft > 0 ? Math.ceil((remaining * sizes[i]!) / weightLeft) : Math.ceil(remaining / (SWEPT_TYPES.length - i)));
    while (counts.checked < perType) {
      const page = await sweepCandidates(deps.state, type, after, Math.min(PAGE, perType - counts.checked));
      if (page.length === 0) {
        counts.wrapped = true;
        after = 0;
        break;
      }
      const gone = await goneFromSource(deps.source, type, page);
      const entries = gone.flatMap((item) => {
        const body = item.body ? retractedBody(registry[type].fhirType ?? type, item.body, at) : null;
        return body ? [{ item, body }] : [];
      });
      const jobs = await retractItems(deps.state, entries);
      await deps.enqueue(jobs);
      counts.checked += page.length;
      counts.retracted += jobs.length;
      after = page[page.length - 1]!.id;
    }
    cursors[type] = after;
    remaining = Math.max(0, remaining - counts.checked);
    result.checked += counts.checked;
    result.retracted += counts.retracted;
  }
  await setControl(deps.state, CURSOR_KEY, cursors, 'sweep');
  result.ms = Date.now() - started;
  return result;
}

/** The items of `page` whose source row the type's reader no longer returns. */
async function goneFromSource(source: Db, type: ResourceTypeName, page: SweepCandidate[]): Promise<SweepCandidate[]> {
  const reader = readerOf(type);
  const rowId = (item: SweepCandidate) => Number(item.sourceKey.split(':')[0]);
  const ids = [...new Set(page.map(rowId).filter(Number.isSafeInteger))];
  const present = new Set<number>();
  for await (const rows of reader.read(source, { batchSize: 1000, only: { column: reader.idColumn!, ids } })) {
    for (const row of rows as Array<{ id: number }>) present.add(row.id);
  }
  return page.filter((item) => !present.has(rowId(item)));
}
