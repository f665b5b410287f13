import { describe, expect, it } from 'vitest';
import { listPlaceholders, replaceReferences, resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { parentPlaceholder, type ParentRef } from '../../shared/fhir/types.js';

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

const body = () =>
  deepFreeze({
    resourceType: 'Encounter',
    subject: { reference: `Patient/${parentPlaceholder('Patient', '101')}`, display: 'Budi Santoso' },
    participant: [{ individual: { reference: 'Practitioner/{{Practitioner:21}}' } }],
    location: [{ location: { reference: 'Location/{{Location:11}}' } }, { location: { reference: 'Location/{{Location:11}}' } }],
    note: [{ text: 'seen in {{Location:11}} and {{Location:12}} by {{Practitioner:21}}' }],
    statusHistory: [{ status: 'arrived', period: { start: '2026-11-20T01:05:12+00:00' } }],
    extra: { n: 3, b: true, nothing: null, other: '{{Foo:1}} {{Patient:}} {Patient:1}' },
  });

const ids: Record<string, string> = {
  'Patient:101': 'P02478375538',
  'Practitioner:21': '10009880728',
  'Location:11': 'b017aa54-f1df-4ec2-9d84-8823815d7228',
  'Location:12': 'dc01c797-547a-4c56-8c6b-6a1e0a2e4d3d',
};
const idOf = (ref: ParentRef) => ids[`${ref.type}:${ref.sourceKey}`];

describe('listPlaceholders', () => {
  it('finds every distinct placeholder, deep and several per string, in order of appearance', () => {
    expect(listPlaceholders(body())).toEqual([
      { type: 'Patient', sourceKey: '101' },
      { type: 'Practitioner', sourceKey: '21' },
      { type: 'Location', sourceKey: '11' },
      { type: 'Location', sourceKey: '12' },
    ]);
  });
  it('ignores unknown types, empty keys and single braces', () => {
    expect(listPlaceholders({ a: '{{Foo:1}} {{Patient:}} {Patient:1}' })).toEqual([]);
  });
  it('handles non-object bodies', () => {
    expect(listPlaceholders(null)).toEqual([]);
    expect(listPlaceholders('Organization/{{Organization:7}}')).toEqual([{ type: 'Organization', sourceKey: '7' }]);
  });
  it('keeps keys with odd characters whole', () => {
    expect(listPlaceholders({ r: 'Patient/{{Patient:RM 00-12/34}}' })).toEqual([{ type: 'Patient', sourceKey: 'RM 00-12/34' }]);
  });
});

describe('resolvePlaceholders', () => {
  it('replaces every occurrence and leaves everything else alone', () => {
    const input = body();
    const result = resolvePlaceholders(input, idOf);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.subject).toEqual({ reference: 'Patient/P02478375538', display: 'Budi Santoso' });
    expect(result.body.participant[0]?.individual.reference).toBe('Practitioner/10009880728');
    expect(result.body.location.map((l) => l.location.reference)).toEqual([
      'Location/b017aa54-f1df-4ec2-9d84-8823815d7228',
      'Location/b017aa54-f1df-4ec2-9d84-8823815d7228',
    ]);
    expect(result.body.note[0]?.text).toBe('seen in b017aa54-f1df-4ec2-9d84-8823815d7228 and dc01c797-547a-4c56-8c6b-6a1e0a2e4d3d by 10009880728');
    expect(result.body.extra).toEqual({ n: 3, b: true, nothing: null, other: '{{Foo:1}} {{Patient:}} {Patient:1}' });
    expect(result.body.statusHistory).toEqual(input.statusHistory);
  });

  it('never mutates the input (frozen input, fresh output)', () => {
    const input = body();
    const before = JSON.stringify(input);
    const result = resolvePlaceholders(input, idOf);
    expect(JSON.stringify(input)).toBe(before);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body).not.toBe(input);
    expect(result.body.subject).not.toBe(input.subject);
  });

  it('reports each missing parent once, treating an empty id as missing', () => {
    const result = resolvePlaceholders(body(), (ref) => (ref.type === 'Patient' ? '' : ref.type === 'Location' && ref.sourceKey === '12' ? undefined : idOf(ref)));
    expect(result).toEqual({
      ok: false,
      missing: [
        { type: 'Patient', sourceKey: '101' },
        { type: 'Location', sourceKey: '12' },
      ],
    });
  });

  it('returns a body without placeholders unchanged in value', () => {
    const plain = deepFreeze({ resourceType: 'Organization', name: 'Poliklinik Umum', partOf: { reference: 'Organization/100011961' } });
    expect(resolvePlaceholders(plain, () => undefined)).toEqual({ ok: true, body: plain });
  });
});

describe('replaceReferences', () => {
  it('swaps whole placeholder references that are listed, in one pass, and leaves the rest', () => {
    const body = deepFreeze({
      subject: { reference: 'Patient/{{Patient:7}}' },
      encounter: { reference: 'Encounter/{{Encounter:12}}' },
      basedOn: [{ reference: 'ServiceRequest/{{ServiceRequest:3}}' }],
      result: [{ reference: 'Observation/{{ObservationLab:9}}' }],
      note: [{ text: 'no {{placeholder}} here' }],
    });
    const urns = new Map([
      ['Encounter/{{Encounter:12}}', 'urn:uuid:e'],
      ['Observation/{{ObservationLab:9}}', 'urn:uuid:o'],
    ]);
    expect(replaceReferences(body, urns)).toEqual({
      subject: { reference: 'Patient/{{Patient:7}}' },
      encounter: { reference: 'urn:uuid:e' },
      basedOn: [{ reference: 'ServiceRequest/{{ServiceRequest:3}}' }],
      result: [{ reference: 'urn:uuid:o' }],
      note: [{ text: 'no {{placeholder}} here' }],
    });
  });
});

describe('name placeholders', () => {
  const withNames = () =>
    deepFreeze({
      resourceType: 'Encounter',
      subject: { reference: 'Patient/{{Patient:101}}', display: '{{name:Patient:101}}' },
      participant: [{ individual: { reference: 'Practitioner/{{Practitioner:21}}', display: '{{name:Practitioner:21}}' } }],
      note: [{ text: 'seen by {{name:Practitioner:21}}' }],
    });
  const names: Record<string, string> = { 'Patient:101': 'Ar****** Pu***', 'Practitioner:21': 'dr. Al*******' };
  const nameOf = (ref: ParentRef) => names[`${ref.type}:${ref.sourceKey}`];

  it('lists the person of a name placeholder as a parent', () => {
    expect(listPlaceholders({ display: '{{name:Patient:9}}' })).toEqual([{ type: 'Patient', sourceKey: '9' }]);
    expect(listPlaceholders({ display: '{{name:Location:9}}' })).toEqual([]);
  });

  it("fills in the censored name SATUSEHAT returned for each person", () => {
    expect(resolvePlaceholders(withNames(), idOf, nameOf)).toEqual({
      ok: true,
      body: {
        resourceType: 'Encounter',
        subject: { reference: 'Patient/P02478375538', display: 'Ar****** Pu***' },
        participant: [{ individual: { reference: 'Practitioner/10009880728', display: 'dr. Al*******' } }],
        note: [{ text: 'seen by dr. Al*******' }],
      },
    });
  });

  it('leaves a display out when SATUSEHAT returned no name, rather than sending a blank', () => {
    const result = resolvePlaceholders(withNames(), idOf, (ref) => (ref.type === 'Patient' ? null : ''));
    expect(result).toEqual({
      ok: true,
      body: {
        resourceType: 'Encounter',
        subject: { reference: 'Patient/P02478375538' },
        participant: [{ individual: { reference: 'Practitioner/10009880728' } }],
        note: [{ text: 'seen by ' }],
      },
    });
  });

  it('waits for a person that is named but not yet sent', () => {
    const result = resolvePlaceholders({ display: '{{name:Patient:5}}' }, idOf, nameOf);
    expect(result).toEqual({ ok: false, missing: [{ type: 'Patient', sourceKey: '5' }] });
  });
});
