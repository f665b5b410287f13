// The only HTTP client for SATUSEHAT FHIR. It returns every response, good or bad, so the caller
// can record it; only transport failures (timeout, connection) throw.
import { SatusehatTransportError } from './errors.js';
import { gatewayBackoffMs } from './gateway-backoff.js';
import { TokenManager, type TokenManagerOptions } from './token-manager.js';

export interface SatusehatClientOptions extends TokenManagerOptions {
  fhirUrl: string;
}

export interface SatusehatResponse {
  method: string;
  url: string;
  status: number;
  /** Raw body as received: JSON text, or text/plain from the gateway on 5xx. */
  text: string;
  /** Parsed JSON object body, or null when the body is not a JSON object (a rule-violation array stays in `text`). */
  json: Record<string, unknown> | null;
  /** The wait SATUSEHAT asked for: Retry-After, or for an Apigee rate-limit 429 without it, that policy's default. */
  retryAfterMs: number | null;
  durationMs: number;
  startedAt: Date;
  finishedAt: Date;
}

export class SatusehatClient {
  readonly tokens: TokenManager;

  constructor(private readonly options: SatusehatClientOptions) {
    this.tokens = new TokenManager(options);
  }

  get fhirUrl(): string {
    return this.options.fhirUrl;
  }

  /** `path` is relative to the FHIR base ('' for a transaction Bundle). A 401 refreshes the token once. */
  async request(method: string, path: string, body?: unknown): Promise<SatusehatResponse> {
    const token = await this.tokens.get();
    const first = await this.send(method, path, body, token);
    if (first.status !== 401) return first;
    await this.tokens.invalidate(token);
    return this.send(method, path, body, await this.tokens.get());
  }

  /** GET {Type}?identifier=system|value: the ids of the matches (SATUSEHAT rejects duplicates, so 0 or 1). */
  async searchByIdentifier(resourceType: string, system: string, value: string): Promise<{ response: SatusehatResponse; ids: string[]; displays: string[] }> {
    const response = await this.request('GET', `${resourceType}?identifier=${encodeURIComponent(`${system}|${value}`)}`);
    return { response, ...matchesOf(response) };
  }

  private async send(method: string, path: string, body: unknown, token: string): Promise<SatusehatResponse> {
    await this.options.beforeRequest?.();
    const url = path ? `${this.options.fhirUrl}/${path}` : this.options.fhirUrl;
    const startedAt = new Date();
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.text();
      const json = parseJson(text);
      return {
        method,
        url,
        status: response.status,
        text,
        json,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) ?? gatewayBackoffMs(response.status, json),
        durationMs: performance.now() - started,
        startedAt,
        finishedAt: new Date(),
      };
    } catch (err) {
      const name = (err as Error).name;
      const kind = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const detail = kind === 'timeout' ? `no response within ${this.options.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
      throw new SatusehatTransportError(kind, `${method} ${url}: ${detail}`, performance.now() - started);
    }
  }
}

/** Ids and display names from a searchset Bundle. */
export function matchesOf(response: SatusehatResponse): { ids: string[]; displays: string[] } {
  if (response.status !== 200 || !response.json) return { ids: [], displays: [] };
  const entries = (response.json.entry as Array<{ resource?: { id?: string; name?: Array<{ text?: string; given?: string[]; family?: string }> | string } }> | undefined) ?? [];
  const ids: string[] = [];
  const displays: string[] = [];
  for (const entry of entries) {
    if (!entry.resource?.id) continue;
    ids.push(entry.resource.id);
    displays.push(displayName(entry.resource.name));
  }
  return { ids, displays };
}

function displayName(name: Array<{ text?: string; given?: string[]; family?: string }> | string | undefined): string {
  if (typeof name === 'string') return name;
  const first = name?.[0];
  if (!first) return '';
  return first.text ?? [...(first.given ?? []), first.family ?? ''].join(' ').trim();
}

function parseJson(text: string): Record<string, unknown> | null {
  if (!text || text[0] !== '{') return null;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
