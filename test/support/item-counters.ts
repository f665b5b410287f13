// The dashboard counters (item_counts + pending deltas) and the truth they must equal: a GROUP BY
// over items. Shared by the counter tests.
import type { Db } from '../../shared/db/connect.js';
import { readItemCounts } from '../../shared/db/state/item-counts-repo.js';

/** `Type/status` → how many, and the newest sent_at for sent ones. */
export type Figures = Record<string, { n: number; lastSent: string | null }>;

export function figuresOf(rows: Array<{ resource_type: string; status: string; n: number | string; last_sent: string | Date | null }>): Figures {
  const out: Figures = {};
  for (const r of rows) {
    if (Number(r.n) === 0) continue;
    const last = r.last_sent ? new Date(r.last_sent).toISOString() : null;
    out[`${r.resource_type}/${r.status}`] = { n: Number(r.n), lastSent: r.status === 'sent' ? last : null };
  }
  return out;
}

/** Counted straight from items; with a date, that date's items plus master data. */
export async function truth(db: Db, date?: string): Promise<Figures> {
  const q = db('items').select('resource_type', 'status').count({ n: '*' }).max({ last_sent: 'sent_at' }).groupBy('resource_type', 'status');
  if (date) q.where((w) => w.where('business_date', date).orWhereNull('business_date'));
  return figuresOf((await q) as never);
}

/** What the counters say. */
export async function counted(db: Db, date?: string): Promise<Figures> {
  return figuresOf(await readItemCounts(db, date));
}

/** Only the numbers, for tests that do not follow sent_at. */
export const countsOnly = (f: Figures): Record<string, number> => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.n]));
