import { describe, expect, it } from 'vitest';
import { lineColumn, locatePath, parseJsonText } from '../../shared/services/json-text.js';

const errorOf = (text: string) => {
  const r = parseJsonText(text);
  if (r.ok) throw new Error('expected a syntax error');
  return r;
};

describe('parseJsonText', () => {
  it('returns the value of valid JSON, ignoring a BOM', () => {
    expect(parseJsonText('\uFEFF{"a": [1, 2.5e3, true, null, "x\\n"]}')).toEqual({ ok: true, value: { a: [1, 2500, true, null, 'x\n'] } });
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected ',' or '}'/],
    ['{\n  "a": 1,\n}', 3, 1, /trailing comma before '}'/],
    ['[1, 2,]', 1, 7, /trailing comma before ']'/],
    ["{'a': 1}", 1, 2, /double quotes/],
    ['{\n  "a": tru\n}', 2, 8, /expected a value/],
    ['{"a": "open', 1, 7, /unterminated string/],
    ['{"a": "x\\q"}', 1, 9, /invalid escape/],
    ['{"a": 01}', 1, 8, /invalid number/],
    ['{"a": 1}}', 1, 9, /after the end of the JSON value/],
    ['   ', 1, 4, /empty/],
    ['{"a": {"b": [1, 2}', 1, 18, /expected ',' or ']'/],
  ])('%j → line %i column %i', (text, line, column, message) => {
    const e = errorOf(text);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.message).toMatch(message);
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of ['{"a":1}', '[]', '"s"', '12', '{"a":[{"b":{}}]}', '{"a":1,}', '[,]', '{"a" 1}', 'nul', '-', '1.', '{"a":"\t"}']) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(parseJsonText(text).ok, text).toBe(valid);
    }
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('locatePath', () => {
  const text = JSON.stringify({ resourceType: 'Encounter', identifier: [{ system: 's', value: 'v' }], period: { start: 'x' } }, null, 2);
  const lines = text.split('\n');
  const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;

  it('finds a property by its FHIRPath, at its name', () => {
    expect(locatePath(text, 'resourceType')).toEqual({ line: 2, column: 3 });
    expect(locatePath(text, 'Encounter.period.start')).toEqual({ line: lineOf('"start"'), column: 5 });
    expect(locatePath(text, 'Encounter.identifier[0].value')).toEqual({ line: lineOf('"value"'), column: 7 });
  });

  it('falls back to the nearest ancestor for a missing property, and to null for broken JSON', () => {
    expect(locatePath(text, 'Encounter.period.end')).toEqual({ line: lineOf('"period"'), column: 3 });
    expect(locatePath(text, 'Encounter.class')).toEqual({ line: 1, column: 1 });
    expect(locatePath('{"a": ', 'a')).toBeNull();
  });
});
