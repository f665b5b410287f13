// One HTTP request to SATUSEHAT, recorded as an attempt whatever its result: the attempts are the
// audit trail of every send.
import type { SatusehatClient } from './client.js';
import { SatusehatTransportError } from './errors.js';
import { errorClassOf, judge, type AttemptLog, type JudgedResponse } from './outcome.js';

/** Called after every HTTP exchange (metrics). */
export type ExchangeObserver = (type: string, code: number | 'timeout' | 'network', seconds: number) => void;

export async function recordedRequest(client: SatusehatClient, attempts: AttemptLog, method: string, path: string, body?: unknown, observe?: (code: number | 'timeout' | 'network', seconds: number) => void): Promise<JudgedResponse> {
  const startedAt = new Date();
  try {
    const response = judge(await client.request(method, path, body));
    attempts.retryAfterMs = response.retryAfterMs;
    observe?.(response.status, response.durationMs / 1000);
    const parsed = response.outcome;
    attempts.push({
      method, url: response.url, requestBody: body ?? null, responseBody: response.text, httpCode: response.status,
      durationMs: response.durationMs, errorClass: errorClassOf(response.status, response.accepted),
      errorMessage: parsed.messages.length > 0 ? parsed.messages.join('; ') : null, ruleNumbers: parsed.ruleNumbers,
      startedAt: response.startedAt, finishedAt: response.finishedAt,
    });
    return response;
  } catch (err) {
    if (err instanceof SatusehatTransportError) {
      observe?.(err.kind, err.durationMs / 1000);
      attempts.push({
        method, url: `${client.fhirUrl}/${path}`, requestBody: body ?? null, responseBody: null, httpCode: null,
        durationMs: err.durationMs, errorClass: err.kind, errorMessage: err.message, ruleNumbers: [], startedAt, finishedAt: new Date(),
      });
    }
    throw err;
  }
}
