// Stored source hashes decide what is resent: prepareMapped must keep hashing exactly
// JSON.stringify([request, issues, summary, businessDate]) while it serialises the body once.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareMapped } from '../../daemon/extract/run-extraction.js';
import type { MapResult } from '../../shared/fhir/types.js';

const sha1 = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('hex');
const expected = (r: MapResult) => sha1([r.ok ? r.request : null, r.ok ? [] : r.issues, r.summary, r.businessDate]);

describe('prepareMapped', () => {
  const body = { resourceType: 'Condition', subject: { reference: 'Patient/{{Patient:7}}' }, note: [{ text: 'quote " backslash \\ nul \u0000 é 😀' }] };
  const cases: MapResult[] = [
    { ok: true, sourceKey: '1', businessDate: '2026-01-02', summary: { no: 'RJ1', name: 'Siti' }, request: { method: 'POST', path: 'Condition', body: body as never }, parents: [{ type: 'Patient', sourceKey: '7' }] },
    { ok: true, sourceKey: '2', businessDate: null, summary: { nik: '3201' }, request: { method: 'GET', path: 'Patient?identifier=x', body: null }, parents: [] },
    { ok: false, sourceKey: '3', businessDate: null, summary: { no: null }, issues: [{ path: 'Condition.onset', message: 'future', rule: '10132' }] },
    // The mark the body stands in for, in source data: the whole value is serialised instead.
    { ok: true, sourceKey: '4', businessDate: null, summary: { name: '\u0000body\u0000' }, request: { method: 'POST', path: 'Condition', body: body as never }, parents: [] },
    { ok: true, sourceKey: '5', businessDate: null, summary: {}, request: { method: 'POST', path: '\u0000body\u0000', body: body as never }, parents: [] },
  ];
  it.each(cases.map((c) => [c.sourceKey, c] as const))('hashes item %s as JSON.stringify of the whole mapped output', (_key, c) => {
    const m = prepareMapped(c);
    expect(m.hash).toBe(expected(c));
    if (c.ok && c.request.body) expect(m.bodyJson).toBe(JSON.stringify(c.request.body));
    if (c.ok) expect(m.request).toMatchObject({ method: c.request.method, path: c.request.path });
  });
});
