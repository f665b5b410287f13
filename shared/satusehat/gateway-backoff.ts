// SATUSEHAT sits behind an Apigee gateway, whose 429s often come without Retry-After: the body
// names the policy that refused instead, `{"fault":{"faultstring":"Rate limit quota violation…",
// "detail":{"errorcode":"policies.ratelimit.QuotaViolation"}}}` or a SpikeArrest one (reference
// A13). Such a 429 waits a default time, as a 429 with Retry-After waits the time it names.

/** A Quota counts requests per time unit (SATUSEHAT's is per minute, A9): wait out a whole window. */
export const QUOTA_VIOLATION_BACKOFF_MS = 60_000;
/** A SpikeArrest only smooths bursts (the allowed rate spread over the minute): a short pause will do. */
export const SPIKE_ARREST_BACKOFF_MS = 5_000;

export type GatewayLimit = 'quota' | 'spike-arrest';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Which Apigee rate-limit policy refused, from a fault body; null for any other body. */
export function gatewayLimitOf(body: unknown): GatewayLimit | null {
  const fault = isRecord(body) ? body.fault : undefined;
  if (!isRecord(fault)) return null;
  const errorcode = isRecord(fault.detail) && typeof fault.detail.errorcode === 'string' ? fault.detail.errorcode : '';
  const text = `${errorcode} ${typeof fault.faultstring === 'string' ? fault.faultstring : ''}`;
  if (/SpikeArrest|spike arrest/i.test(text)) return 'spike-arrest';
  if (/QuotaViolation|quota/i.test(text)) return 'quota';
  return null;
}

/** The wait a 429 without Retry-After asks for through its Apigee body; null when it names none. */
export function gatewayBackoffMs(status: number, body: unknown): number | null {
  if (status !== 429) return null;
  const limit = gatewayLimitOf(body);
  if (limit === 'quota') return QUOTA_VIOLATION_BACKOFF_MS;
  if (limit === 'spike-arrest') return SPIKE_ARREST_BACKOFF_MS;
  return null;
}
