// The rows behind `satusehat worklist <kind>`: master data SATUSEHAT does not know (patients,
// practitioners, rooms and units) or codes it refuses (drugs without KFA, lab tests without LOINC),
// from what the last sync recorded, so a list empties as the fixes are synced.
import type { Db } from '../connect.js';
import { parseJsonColumn } from './sql-values.js';

export interface ProblemItem {
  id: number;
  type: string;
  sourceKey: string;
  status: string;
  errorClass: string | null;
  lastError: string | null;
  summary: Record<string, string | null>;
}

/** Failed or invalid items of these types (a master-data worklist: one row per item). */
export async function problemItems(db: Db, types: string[], limit: number): Promise<ProblemItem[]> {
  const rows = await db('items')
    .select('id', 'resource_type', 'source_key', 'status', 'error_class', 'last_error', 'summary')
    .whereIn('resource_type', types)
    .whereIn('status', ['failed', 'invalid'])
    .orderBy('id')
    .limit(limit);
  return rows.map(toProblemItem);
}

const toProblemItem = (r: Record<string, unknown>): ProblemItem => ({
  id: Number(r.id), type: String(r.resource_type), sourceKey: String(r.source_key), status: String(r.status), errorClass: (r.error_class as string | null) ?? null,
  lastError: (r.last_error as string | null) ?? null, summary: parseJsonColumn<Record<string, string | null>>(r.summary, {}),
});

/** Per parent key: the visits (Encounter items) not sent that name it. */
export async function unsentVisitsNaming(db: Db, parentType: string, keys: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = (await db('item_links as l')
      .join('items as e', 'e.id', 'l.item_id')
      .select('l.parent_key')
      .count({ n: '*' })
      .where('l.parent_type', parentType)
      .whereIn('l.parent_key', keys.slice(i, i + 1000))
      .andWhere('e.resource_type', 'Encounter')
      .andWhereNot('e.status', 'sent')
      .groupBy('l.parent_key')) as Array<{ parent_key: string; n: number | string }>;
    for (const r of rows) out.set(String(r.parent_key), Number(r.n));
  }
  return out;
}

export interface CodeProblem {
  /** The summary value items are grouped by (the drug's or the test's name). */
  name: string;
  items: number;
  visits: number;
  example: string;
  exampleItemId: number;
}

/**
 * Invalid items of these types whose problem mentions `word` (KFA, LOINC), grouped by the summary
 * field `field`: one row per drug or test, with how many items and visits wait on it.
 */
export async function codeProblems(db: Db, types: string[], word: string, field: string, limit: number): Promise<CodeProblem[]> {
  const name = db.raw('COALESCE(JSON_UNQUOTE(JSON_EXTRACT(i.summary, ?)), ?)', [`$.${field}`, '?']);
  const rows = (await db('items as i')
    .leftJoin('item_links as l', function () {
      this.on('l.item_id', 'i.id').andOnVal('l.parent_type', 'Encounter');
    })
    .select({ name })
    .count({ items: db.raw('DISTINCT i.id') })
    .countDistinct({ visits: 'l.parent_key' })
    .min({ example: 'i.last_error' })
    .min({ exampleItemId: 'i.id' })
    .whereIn('i.resource_type', types)
    .andWhere('i.status', 'invalid')
    .andWhere('i.last_error', 'like', `%${word}%`)
    .groupBy('name')
    .orderBy('items', 'desc')
    .limit(limit)) as Array<{ name: string; items: number | string; visits: number | string; example: string; exampleItemId: number | string }>;
  return rows.map((r) => ({ name: String(r.name), items: Number(r.items), visits: Number(r.visits), example: String(r.example ?? ''), exampleItemId: Number(r.exampleItemId) }));
}
