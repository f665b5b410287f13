// The visits of a date range, for the compliance figure (SE HK.02.01/MENKES/1030/2023: the share
// of a facility's patient visits sent to SATUSEHAT). Cancelled visits are not visits. Dates are the
// local (wall-clock) date of arrival, as the Encounter's business date is (visits_arrived_at_index).
import type { Db } from '../connect.js';
import { toInt, toText } from './values.js';

export interface VisitDay {
  id: number;
  visitNo: string;
  /** Local date of arrival, 'YYYY-MM-DD'. */
  date: string;
}

const PAGE = 5_000;

/** Pages of the non-cancelled visits that arrived on `from`..`to` (inclusive, local dates), in id order. */
export async function* visitsArrivedBetween(db: Db, from: string, to: string): AsyncGenerator<VisitDay[]> {
  let after = 0;
  for (;;) {
    const rows = (await db('visits')
      .select('id', 'visit_no', db.raw("DATE_FORMAT(arrived_at, '%Y-%m-%d') AS day"))
      .where('arrived_at', '>=', `${from} 00:00:00`)
      .andWhere('arrived_at', '<', db.raw('DATE_ADD(?, INTERVAL 1 DAY)', [to]))
      .andWhereNot('status', 'cancelled')
      .andWhere('id', '>', after)
      .orderBy('id')
      .limit(PAGE)) as Array<{ id: unknown; visit_no: unknown; day: unknown }>;
    if (rows.length === 0) return;
    yield rows.map((r) => ({ id: toInt(r.id), visitNo: toText(r.visit_no), date: toText(r.day) }));
    if (rows.length < PAGE) return;
    after = toInt(rows[rows.length - 1]!.id);
  }
}
