import { afterEach, describe, expect, it } from 'vitest';
import {
  checkSourceDateTime,
  dateFloorOf,
  DEFAULT_MIN_RESOURCE_DATE,
  EARLIEST_ALLOWED_UTC,
  formatSatusehatUtc,
  localBusinessDate,
  localMinute,
  parseDateFloor,
  parseLocalDateTime,
  parseUtcOffset,
  toSatusehatUtc,
} from '../../shared/fhir/datetime.js';
import type { MapContext } from '../../shared/fhir/types.js';

const ctx = (sourceUtcOffset: string, now = '2026-11-27T03:00:00Z'): MapContext => ({ orgId: '100011961', now: new Date(now), sourceUtcOffset });
const WIB = ctx('+07:00');
const WITA = ctx('+08:00');
const WIT = ctx('+09:00');

describe('toSatusehatUtc', () => {
  it.each([
    ['2026-11-20 08:05:12', '+07:00', '2026-11-20T01:05:12+00:00'], // WIB
    ['2026-11-20 08:05:12', '+08:00', '2026-11-20T00:05:12+00:00'], // WITA
    ['2026-11-20 08:05:12', '+09:00', '2026-11-19T23:05:12+00:00'], // WIT: previous day
    ['2026-01-01 06:59:59', '+07:00', '2025-12-31T23:59:59+00:00'], // year rollover
    ['2026-01-01 07:00:00', '+07:00', '2026-01-01T00:00:00+00:00'],
    ['2024-03-01 05:00:00', '+09:00', '2024-02-29T20:00:00+00:00'], // back into a leap day
    ['2025-03-01 05:00:00', '+09:00', '2025-02-28T20:00:00+00:00'],
    ['2026-11-20 23:30:00', '-03:00', '2026-11-21T02:30:00+00:00'], // negative offsets roll forward
    ['2026-11-20 08:05:12', 'Z', '2026-11-20T08:05:12+00:00'],
    ['2026-11-20 08:05:12', '+0700', '2026-11-20T01:05:12+00:00'],
    ['2026-11-20T08:05:12', '+07:00', '2026-11-20T01:05:12+00:00'], // T separator tolerated
    ['2026-11-20 08:05', '+07:00', '2026-11-20T01:05:00+00:00'], // no seconds
    ['2026-11-20 08:05:12.999', '+07:00', '2026-11-20T01:05:12+00:00'], // fraction dropped, not rounded
    ['0202-05-01 10:00:00', '+07:00', '0202-05-01T03:00:00+00:00'], // a typo'd year stays itself (no 19xx mapping)
  ])('%s at %s → %s', (local, offset, expected) => {
    expect(toSatusehatUtc(local, offset)).toBe(expected);
  });

  it.each(['', '2026-11-20', '20/11/2026 08:00:00', '2026-02-29 10:00:00', '2026-04-31 10:00:00', '2026-13-01 10:00:00', '2026-11-20 24:00:00', '2026-11-20 10:60:00', '0000-00-00 00:00:00', '2026-11-20 08:05:12+07:00'])(
    'rejects local value %j',
    (local) => {
      expect(toSatusehatUtc(local, '+07:00')).toBeNull();
    },
  );

  it.each(['', '7', '+7', '07:00', '+07', '+15:00', '+07:60', 'WIB'])('rejects offset %j', (offset) => {
    expect(parseUtcOffset(offset)).toBeNull();
    expect(toSatusehatUtc('2026-11-20 08:00:00', offset)).toBeNull();
  });

  it('parses offsets to minutes east of UTC', () => {
    expect(parseUtcOffset('+07:00')).toBe(420);
    expect(parseUtcOffset('+08:00')).toBe(480);
    expect(parseUtcOffset('+09:00')).toBe(540);
    expect(parseUtcOffset('+05:30')).toBe(330);
    expect(parseUtcOffset('-03:00')).toBe(-180);
    expect(parseUtcOffset('+14:00')).toBe(840);
  });

  it('accepts 29 February only in leap years', () => {
    expect(parseLocalDateTime('2024-02-29 10:00:00')).not.toBeNull();
    expect(parseLocalDateTime('2000-02-29 10:00:00')).not.toBeNull();
    expect(parseLocalDateTime('2100-02-29 10:00:00')).toBeNull();
  });

  describe('does not depend on the host time zone', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });
    it.each(['Asia/Jakarta', 'Asia/Jayapura', 'America/New_York', 'UTC'])('TZ=%s', (tz) => {
      process.env.TZ = tz;
      expect(toSatusehatUtc('2026-11-20 08:05:12', '+08:00')).toBe('2026-11-20T00:05:12+00:00');
    });
  });
});

describe('local business date and minute', () => {
  it('keeps the local calendar date even when UTC is the previous day', () => {
    expect(localBusinessDate('2026-11-20 06:30:00')).toBe('2026-11-20');
    expect(toSatusehatUtc('2026-11-20 06:30:00', '+07:00')).toBe('2026-11-19T23:30:00+00:00');
  });
  it('formats local minutes and returns null for garbage', () => {
    expect(localMinute('2026-11-20 08:05:12')).toBe('2026-11-20 08:05');
    expect(localMinute('2026-11-20T08:05')).toBe('2026-11-20 08:05');
    expect(localBusinessDate('0000-00-00 00:00:00')).toBeNull();
    expect(localMinute('kemarin')).toBeNull();
  });
  it('formats instants in the SATUSEHAT form', () => {
    expect(formatSatusehatUtc(Date.UTC(2022, 7, 31))).toBe(EARLIEST_ALLOWED_UTC);
  });
});

describe('checkSourceDateTime (RuleNumber 10132)', () => {
  const check = (value: string, c: MapContext) => checkSourceDateTime(value, c, 'Encounter.period.start', 'arrivedAt');

  it('returns UTC, epoch and local business date for a valid value', () => {
    expect(check('2026-11-20 08:05:12', WIB)).toEqual({
      ok: true,
      utc: '2026-11-20T01:05:12+00:00',
      epochMs: Date.UTC(2026, 10, 20, 1, 5, 12),
      businessDate: '2026-11-20',
    });
  });

  it.each([
    [WIB, '2022-08-31 07:00:00', '2022-08-31 06:59:59'],
    [WITA, '2022-08-31 08:00:00', '2022-08-31 07:59:59'],
    [WIT, '2022-08-31 09:00:00', '2022-08-31 08:59:59'],
  ])('lower bound %#: exactly 2022-08-31T00:00:00Z is allowed, one second earlier is not', (c, atBoundary, before) => {
    expect(check(atBoundary, c)).toMatchObject({ ok: true, utc: EARLIEST_ALLOWED_UTC });
    const result = check(before, c);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({ path: 'Encounter.period.start', rule: '10132' });
    expect(result.issue.message).toContain('Invalid date time value : 2022-08-30T23:59:59+00:00 (RuleNumber: 10132)');
    expect(result.issue.message).toContain('before the date floor 2022-08-31 (MIN_RESOURCE_DATE)');
    expect(result.issue.message).toContain(`arrivedAt '${before}'`);
  });

  it('takes the floor from the context (MIN_RESOURCE_DATE) and names the one that applied', () => {
    const playbook: MapContext = { ...WIB, minResourceDate: '2014-06-03' };
    expect(check('2020-01-01 08:00:00', playbook)).toMatchObject({ ok: true, utc: '2020-01-01T01:00:00+00:00' });
    expect(check('2020-01-01 08:00:00', WIB)).toMatchObject({ ok: false, issue: { rule: '10132', message: expect.stringContaining('before the date floor 2022-08-31 (MIN_RESOURCE_DATE)') } });
    expect(check('2014-06-03 07:00:00', playbook).ok).toBe(true);
    expect(check('2014-06-03 06:59:59', playbook)).toMatchObject({ ok: false, issue: { rule: '10132', message: expect.stringContaining('before the date floor 2014-06-03 (MIN_RESOURCE_DATE)') } });
    const later: MapContext = { ...WIB, minResourceDate: '2026-01-01' };
    expect(check('2025-12-31 12:00:00', later)).toMatchObject({ ok: false, issue: { message: expect.stringContaining('before the date floor 2026-01-01 (MIN_RESOURCE_DATE)') } });
  });

  it('parses a floor only when it is a real calendar date', () => {
    expect(parseDateFloor('2014-06-03')).toBe(Date.UTC(2014, 5, 3));
    expect(parseDateFloor('2023-02-29')).toBeNull();
    expect(parseDateFloor('31-08-2022')).toBeNull();
    expect(parseDateFloor('2022-08-31T00:00:00Z')).toBeNull();
    expect(dateFloorOf({})).toEqual({ date: DEFAULT_MIN_RESOURCE_DATE, ms: Date.UTC(2022, 7, 31) });
  });

  it.each([
    [WIB, '2026-11-27 10:00:00', '2026-11-27 10:00:01'],
    [WITA, '2026-11-27 11:00:00', '2026-11-27 11:00:01'],
    [WIT, '2026-11-27 12:00:00', '2026-11-27 12:00:01'],
  ])('upper bound %#: exactly now is allowed, one second later is a future date', (c, atNow, after) => {
    expect(check(atNow, c).ok).toBe(true);
    const result = check(after, c);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue.rule).toBe('10132');
    expect(result.issue.message).toContain('Not Allowed : Future Date');
    expect(result.issue.message).toContain('is in the future');
  });

  it('compares with the sub-second now from the context', () => {
    const c = ctx('+07:00', '2026-11-27T03:00:00.500Z');
    expect(check('2026-11-27 10:00:00', c).ok).toBe(true);
    expect(check('2026-11-27 10:00:01', c).ok).toBe(false);
  });

  it('reports an unparseable value as a 10132 format issue', () => {
    const result = check('0000-00-00 00:00:00', WIB);
    expect(result).toEqual({
      ok: false,
      issue: {
        path: 'Encounter.period.start',
        rule: '10132',
        message: "Invalid date time format : '0000-00-00 00:00:00' in arrivedAt (RuleNumber: 10132). Expected a local time 'YYYY-MM-DD HH:mm:ss'",
      },
    });
  });

  it('reports a misconfigured offset without a rule number', () => {
    const result = check('2026-11-20 08:05:12', ctx('WIB'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issue.rule).toBeUndefined();
      expect(result.issue.message).toContain("'WIB'");
    }
  });
});
