// One Encounter that SATUSEHAT refused, made deterministically on a synced pipeline with a
// running dispatcher: a sent Encounter gets a new revision whose serviceProvider is
// `Organization/999` (valid FHIR R4, so the local check lets it through) and is resent; the
// simulator enforces rule 10124 (serviceProvider must be the facility's own Organization) and
// answers 400, so the item ends `failed` with that rule.
import type { ItemDetail, Operator, Services } from '../../shared/services/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function refuseOneEncounter(services: Services, operator: Operator): Promise<{ id: number; visitNo: string; detail: ItemDetail | null }> {
  const sent = await services.listItems({ type: 'Encounter', status: 'sent', pageSize: 1 });
  const victim = sent.rows[0];
  if (!victim) throw new Error('no sent Encounter to refuse: did the sync run?');
  const body = structuredClone((await services.showItem(victim.id))!.current!.body) as { serviceProvider: { reference: string } };
  body.serviceProvider.reference = 'Organization/999';
  const saved = await services.saveRevision(victim.id, JSON.stringify(body, null, 2), operator);
  if (!saved.ok) throw new Error(`the Organization/999 revision was not saved: ${JSON.stringify(saved.errors)}`);
  const resent = await services.resend([victim.id], operator);
  if (resent.queued.length !== 1 || resent.queued[0] !== victim.id) throw new Error(`the refused revision was not queued: ${JSON.stringify(resent.skipped)}`);
  for (let i = 0; i < 100 && (await services.showItem(victim.id))?.item.status !== 'failed'; i++) await sleep(100);
  return { id: victim.id, visitNo: victim.summary.visitNo ?? '', detail: await services.showItem(victim.id) };
}
