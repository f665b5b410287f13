// Counters behind stats(). `stored` and `duplicateIdentifiersStored` are read from the store.
import type { InjectedStats, SimulatorStats } from './types.js';

export type Counters = Omit<SimulatorStats, 'stored' | 'duplicateIdentifiersStored'>;

export function emptyCounters(): Counters {
  return {
    requests: 0,
    byStatus: {},
    created: {},
    updated: {},
    duplicatesRejected: {},
    lookups: {},
    bundles: 0,
    tokensIssued: 0,
    tokenFailures: 0,
    injected: { '5xx': 0, '429': 0, hang: 0, lost: 0, rateLimited: 0, afterStore: 0, onOrgRead: { '5xx': 0, '429': 0, hang: 0 } },
  };
}

export function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export function snapshot(c: Counters, stored: Record<string, number>, duplicateIdentifiersStored: number): SimulatorStats {
  const injected: InjectedStats = { ...c.injected, onOrgRead: { ...c.injected.onOrgRead } };
  return {
    requests: c.requests,
    byStatus: { ...c.byStatus },
    created: { ...c.created },
    updated: { ...c.updated },
    stored,
    duplicatesRejected: { ...c.duplicatesRejected },
    lookups: { ...c.lookups },
    bundles: c.bundles,
    tokensIssued: c.tokensIssued,
    tokenFailures: c.tokenFailures,
    injected,
    duplicateIdentifiersStored,
  };
}
