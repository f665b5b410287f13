// Argument parsers of the operator commands. Each failure is a usage error (exit 2). Kept free of
// database and queue imports: main.ts loads it to build the command line.
import { ExitError, EXIT } from '../../shared/errors.js';
import { getResourceType, resourceTypeNames } from '../../shared/fhir/registry.js';
import type { ItemListQuery } from '../../shared/services/api.js';
import { isItemStatus } from '../../shared/types/items.js';
import { WORKLIST_KINDS, type WorklistKind } from '../../shared/types/worklists.js';

export function parseItemId(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new ExitError(EXIT.usage, `item id must be a positive whole number, got "${value}"`);
  return n;
}

export function parseType(value: string): string {
  const def = getResourceType(value) ?? getResourceType(resourceTypeNames.find((t) => t.toLowerCase() === value.toLowerCase()) ?? '');
  if (!def) throw new ExitError(EXIT.usage, `unknown resource type "${value}": choose from ${resourceTypeNames.join(', ')}`);
  return def.name;
}

export function parseStatus(value: string): NonNullable<ItemListQuery['status']> {
  const v = value.trim().toLowerCase().replace('-', '_');
  if (v === 'problem' || isItemStatus(v)) return v;
  throw new ExitError(EXIT.usage, `unknown status "${value}": use problem, not_sent, queued, sending, sent, failed, invalid or blocked`);
}

export function parsePositive(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > max) throw new ExitError(EXIT.usage, `${name} must be a whole number from 1 to ${max}, got "${value}"`);
    return n;
  };
}

/** A share of the rate limit: above 0, at most 1. */
export function parseRateShare(value: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value.trim()) || n <= 0 || n > 1) throw new ExitError(EXIT.usage, `--rate-share must be a number above 0 and at most 1, got "${value}"`);
  return n;
}

export function parseWorklistKind(value: string): WorklistKind {
  const kind = value.trim().toLowerCase();
  if ((WORKLIST_KINDS as readonly string[]).includes(kind)) return kind as WorklistKind;
  throw new ExitError(EXIT.usage, `unknown worklist "${value}": choose from ${WORKLIST_KINDS.join(', ')}`);
}
