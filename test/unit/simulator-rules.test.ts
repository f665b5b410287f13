import { describe, expect, it } from 'vitest';
import { createRandom, mergeFaults, SlidingWindow } from '../../simulator/faults.js';
import { applyReplacePatch } from '../../simulator/json-patch.js';
import { rewriteUrnReferences } from '../../simulator/references.js';
import { ResourceStore } from '../../simulator/store.js';
import { DEFAULT_FAULTS } from '../../simulator/types.js';
import { parseSatusehatDateTime } from '../../simulator/validate-common.js';

describe('simulator date-time format (10132)', () => {
  it('accepts YYYY-MM-DDThh:mm:ss(.ffffff)+00:00 only', () => {
    expect(parseSatusehatDateTime('2024-02-29T23:59:59+00:00')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseSatusehatDateTime('2024-01-01T00:00:00.5+00:00')).toBe(Date.UTC(2024, 0, 1) + 500);
    expect(parseSatusehatDateTime('2024-01-01T00:00:00.123456+00:00')).toBe(Date.UTC(2024, 0, 1) + 123);
    for (const bad of ['2024-01-01', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00+07:00', '2023-02-29T00:00:00+00:00', '2024-01-01T24:00:00+00:00', '2024-01-01 00:00:00+00:00']) {
      expect(parseSatusehatDateTime(bad), bad).toBeNull();
    }
  });
});

describe('simulator sliding window', () => {
  it('allows `limit` requests per 60 s and says when the next slot frees', () => {
    const w = new SlidingWindow();
    expect(w.acquire(0, 2)).toBe(0);
    expect(w.acquire(10_000, 2)).toBe(0);
    expect(w.acquire(20_000, 2)).toBe(40_000);
    // Rejected requests do not take a slot: at 60 s the first one has left the window.
    expect(w.acquire(60_000, 2)).toBe(0);
    expect(w.acquire(60_001, 2)).toBe(9_999);
    expect(w.acquire(70_000, 2)).toBe(0);
  });
});

describe('simulator faults', () => {
  it('merges valid settings and rejects bad ones', () => {
    expect(mergeFaults(DEFAULT_FAULTS, { rate429: 0.5, rateLimitPerMinute: null })).toMatchObject({ rate429: 0.5, rateLimitPerMinute: null, latencyMs: 0 });
    expect(() => mergeFaults(DEFAULT_FAULTS, { hangRate: 1.5 })).toThrow(/hangRate/);
    expect(() => mergeFaults(DEFAULT_FAULTS, { rateLimitPerMinute: 0 })).toThrow(/rateLimitPerMinute/);
    expect(() => mergeFaults(DEFAULT_FAULTS, { nope: 1 })).toThrow();
  });

  it('draws the same sequence for the same seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(seqA).size).toBe(5);
  });
});

describe('simulator JSON Patch', () => {
  it('applies replace ops only, on existing paths', () => {
    const doc = { resourceType: 'Encounter', id: 'x', status: 'arrived', period: { start: 'a' }, statusHistory: [{ status: 'arrived' }] };
    expect(applyReplacePatch(doc, [{ op: 'replace', path: '/status', value: 'finished' }, { op: 'replace', path: '/statusHistory/0/status', value: 'in-progress' }])).toBeNull();
    expect(doc.status).toBe('finished');
    expect(doc.statusHistory[0]!.status).toBe('in-progress');
    expect(applyReplacePatch(doc, [{ op: 'add', path: '/language', value: 'id' }])).toMatch(/only replace/);
    expect(applyReplacePatch(doc, [{ op: 'replace', path: '/language', value: 'id' }])).toMatch(/does not exist/);
    expect(applyReplacePatch(doc, [{ op: 'replace', path: '/id', value: 'y' }])).toMatch(/cannot be patched/);
    expect(applyReplacePatch(doc, {})).toMatch(/array/);
  });
});

describe('simulator store', () => {
  it('indexes identifiers, bumps versions and counts stored duplicates', () => {
    const store = new ResourceStore();
    const a = { resourceType: 'Encounter', id: 'a', identifier: [{ system: 's', value: '1' }] };
    const v1 = store.put('Encounter', a);
    const v2 = store.put('Encounter', { ...a });
    expect(v2.versionId).not.toBe(v1.versionId);
    expect(Buffer.from(v2.versionId, 'base64').toString()).toMatch(/^\d{19}$/);
    expect(store.findByIdentifier('Encounter', 's', '1').map((r) => r.id)).toEqual(['a']);
    expect(store.findByIdentifier('Encounter', null, '1')).toHaveLength(1);
    expect(store.conflicts('Encounter', a, 'a')).toEqual([]);
    expect(store.conflicts('Encounter', a)).toEqual(['a']);
    expect(store.duplicateIdentifiers).toBe(0);
    // Only a bypass of the duplicate check can do this; the counter must notice.
    store.put('Encounter', { resourceType: 'Encounter', id: 'b', identifier: [{ system: 's', value: '1' }] });
    expect(store.duplicateIdentifiers).toBe(1);
    store.put('Encounter', { resourceType: 'Encounter', id: 'b', identifier: [{ system: 's', value: '2' }] });
    expect(store.duplicateIdentifiers).toBe(0);
    expect(store.counts()).toEqual({ Encounter: 2 });
  });
});

describe('simulator urn:uuid rewrite', () => {
  it('rewrites nested references and reports dangling ones', () => {
    const resource = { encounter: { reference: 'urn:uuid:a' }, diagnosis: [{ condition: { reference: 'urn:uuid:b' } }], other: { reference: 'Patient/P1' } };
    const seen: Array<[string, boolean]> = [];
    rewriteUrnReferences(resource, new Map([['urn:uuid:a', 'Encounter/1']]), (urn, ok) => seen.push([urn, ok]));
    expect(resource.encounter.reference).toBe('Encounter/1');
    expect(resource.diagnosis[0]!.condition.reference).toBe('urn:uuid:b');
    expect(resource.other.reference).toBe('Patient/P1');
    expect(seen).toEqual([
      ['urn:uuid:a', true],
      ['urn:uuid:b', false],
    ]);
  });
});
