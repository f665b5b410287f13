// Encounter.diagnosis names the visit's Conditions, which are its children: an Encounter sent
// before a Condition had its id goes again as an update (a PUT) once the Condition has one.
import { parentIds, resendForDiagnosis, sentEncountersNaming, sentIdIn, type ClaimedItem } from '../../shared/db/state/items/index.js';
import { restoreDiagnosis } from '../../shared/fhir/diagnosis-refs.js';
import { listPlaceholders } from '../../shared/fhir/placeholders.js';
import type { ParentRef } from '../../shared/fhir/types.js';
import type { SendDeps } from './deps.js';

/** Encounter.diagnosis with the Conditions that have SATUSEHAT ids; those without are left out. */
export async function withSentDiagnosis(body: Record<string, unknown> | null, entries: unknown[], deps: SendDeps) {
  if (entries.length === 0) return { body, left: [] as ParentRef[] };
  const idOf = sentIdIn(await parentIds(deps.db, listPlaceholders(entries)));
  return restoreDiagnosis(body, entries, (ref) => {
    const id = idOf(ref);
    return id === undefined ? undefined : `Condition/${id}`;
  });
}

/**
 * What a send leaves for a later PUT of the Encounter (single mode, or a diagnosis added to a
 * visit already sent): a Condition that got its first id sends its sent Encounter again; an
 * Encounter that left Conditions out looks at them once more after its commit, in case one was
 * sent meanwhile (its own trigger then found the Encounter still in flight).
 */
export async function sendAgainForDiagnosis(item: ClaimedItem, left: ParentRef[], deps: SendDeps): Promise<void> {
  let again: number[] = [];
  let refresh = '';
  if (item.resourceType === 'Condition' && !item.satusehatId) {
    again = await sentEncountersNaming(deps.db, item.id, item.sourceKey);
    refresh = `c${item.id}`;
  } else if (left.length > 0) {
    const idOf = sentIdIn(await parentIds(deps.db, left));
    if (left.some((ref) => idOf(ref) !== undefined)) again = [item.id];
    // This job's own id is still taken: the attempt number makes the new one differ from it.
    refresh = `a${item.attemptCount + 1}`;
  }
  const jobs = await resendForDiagnosis(deps.db, again);
  if (jobs.length > 0) await deps.enqueue(jobs.map((job) => ({ ...job, refresh })));
}
