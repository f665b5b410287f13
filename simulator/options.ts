// Option defaults and validation, shared by startSimulator() and the command line.
import type { SimConfig } from './state.js';
import { DEFAULT_OPTIONS, type SimulatorOptions } from './types.js';
import { parseFloorDate } from './validate-common.js';

export type ResolvedOptions = SimConfig & { port: number; host: string };

/** Applies defaults; throws an Error naming the first bad option. */
export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
  const cfg = {
    port: o.port ?? DEFAULT_OPTIONS.port,
    host: o.host ?? DEFAULT_OPTIONS.host,
    clientId: o.clientId ?? DEFAULT_OPTIONS.clientId,
    clientSecret: o.clientSecret ?? DEFAULT_OPTIONS.clientSecret,
    orgId: o.orgId ?? DEFAULT_OPTIONS.orgId,
    tokenTtlSeconds: o.tokenTtlSeconds ?? DEFAULT_OPTIONS.tokenTtlSeconds,
    unknownNikPercent: o.unknownNikPercent ?? DEFAULT_OPTIONS.unknownNikPercent,
    enforceDisplayNames: o.enforceDisplayNames ?? DEFAULT_OPTIONS.enforceDisplayNames,
    minResourceDate: o.minResourceDate ?? DEFAULT_OPTIONS.minResourceDate,
  };
  if (parseFloorDate(cfg.minResourceDate) === null) throw new Error(`invalid minResourceDate ${cfg.minResourceDate} (a date like 2022-08-31)`);
  if (!Number.isInteger(cfg.port) || cfg.port < 0 || cfg.port > 65535) throw new Error(`invalid port ${cfg.port}`);
  if (!Number.isFinite(cfg.tokenTtlSeconds) || cfg.tokenTtlSeconds < 0) throw new Error(`invalid tokenTtlSeconds ${cfg.tokenTtlSeconds}`);
  if (!Number.isFinite(cfg.unknownNikPercent) || cfg.unknownNikPercent < 0 || cfg.unknownNikPercent > 100) {
    throw new Error(`invalid unknownNikPercent ${cfg.unknownNikPercent} (0..100)`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(cfg.orgId)) throw new Error(`invalid orgId ${cfg.orgId}`);
  return cfg;
}
