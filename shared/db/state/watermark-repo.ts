import type { Db } from '../connect.js';

export async function getWatermark(db: Db, type: string): Promise<string | null> {
  const row = await db('extract_watermarks').select('watermark').where('resource_type', type).first();
  return row ? String(row.watermark) : null;
}

export async function setWatermark(db: Db, type: string, watermark: string): Promise<void> {
  await db('extract_watermarks').insert({ resource_type: type, watermark, updated_at: db.fn.now(3) }).onConflict('resource_type').merge(['watermark', 'updated_at']);
}
