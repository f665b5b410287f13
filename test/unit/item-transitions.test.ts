// The declared item-status transitions, and the frozen copy the database enforces.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOWED_STATUS_CHANGES } from '../../migrations/20261202000002_outcome_checks.js';
import { allowedChanges, isAllowedChange, movesFrom, statusIn, TRANSITIONS } from '../../shared/db/state/items/transitions.js';

describe('item status transitions', () => {
  it('the newest trigger migration holds exactly the pairs the table declares (a change needs a new migration)', () => {
    expect([...allowedChanges()].sort()).toEqual([...ALLOWED_STATUS_CHANGES].sort());
  });

  it('never lets anything but a claim make an item sending, and nothing moves a sent item but a new send', () => {
    const intoSending = [...allowedChanges()].filter((p) => p.endsWith('>sending')).sort();
    expect(intoSending).toEqual(['blocked>sending', 'not_sent>sending', 'queued>sending']);
    const fromSent = [...allowedChanges()].filter((p) => p.startsWith('sent>')).sort();
    expect(fromSent).toEqual(['sent>blocked', 'sent>invalid', 'sent>not_sent']);
    // Only SATUSEHAT's answer makes an item sent.
    expect([...allowedChanges()].filter((p) => p.endsWith('>sent'))).toEqual(['sending>sent']);
    expect(isAllowedChange('failed', 'sent')).toBe(false);
    expect(isAllowedChange('sending', 'sending')).toBe(true);
  });

  it('every transition names why it happens and moves from a status it does not stay in', () => {
    for (const [name, t] of Object.entries(TRANSITIONS)) {
      expect(t.why.length, name).toBeGreaterThan(10);
      expect(t.from.length, name).toBeGreaterThan(0);
      expect(t.to.length, name).toBeGreaterThan(0);
    }
    expect(Object.keys(TRANSITIONS).length).toBeGreaterThan(8);
  });

  it('a writer asking for a destination its transition does not have is a programming error', () => {
    expect(movesFrom('claim', 'sending')).toEqual(['not_sent', 'queued']);
    expect(() => movesFrom('claim', 'sent')).toThrow(/claim does not go to sent/);
    expect(statusIn('release', 'not_sent', 'i.status')).toBe("i.status IN ('blocked')");
  });

  it('docs/item-lifecycle.md has a row for every transition, with its from and to', () => {
    const doc = readFileSync(new URL('../../docs/item-lifecycle.md', import.meta.url), 'utf8');
    for (const [name, t] of Object.entries(TRANSITIONS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      for (const status of t.to) expect(row, `${name} → ${status}`).toContain(`\`${status}\``);
    }
  });
});
