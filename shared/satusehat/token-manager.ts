// One access token shared by every request of the process, refreshed ahead of expiry by a single
// caller at a time. After a refused token request SATUSEHAT allows one more try per minute.
import { AuthUnavailableError, SatusehatTransportError } from './errors.js';

export interface AccessToken {
  value: string;
  /** Epoch ms after which it must not be used. */
  expiresAt: number;
}

export interface TokenManagerOptions {
  authUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Refresh this long before expiry (default 5 minutes, shortened for very short-lived tokens). */
  refreshMarginMs?: number;
  /** Wait after a failed token request (SATUSEHAT: 1 request per minute after a failure). */
  failureCooldownMs?: number;
  now?: () => number;
  onTokenRequest?: (outcome: { ok: boolean; status: number | null; durationMs: number }) => void;
}

const FIVE_MINUTES = 5 * 60_000;

export class TokenManager {
  private token: AccessToken | null = null;
  private inFlight: Promise<AccessToken> | null = null;
  private blockedUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A valid token, fetching one if none is cached or it is close to expiry. */
  async get(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt) return this.token.value;
    return (await this.refresh()).value;
  }

  /** Forget the cached token (after a 401) unless a newer one replaced it meanwhile. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = null;
  }

  private refresh(): Promise<AccessToken> {
    if (!this.inFlight) {
      this.inFlight = this.fetchToken().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  private async fetchToken(): Promise<AccessToken> {
    const wait = this.blockedUntil - this.now();
    if (wait > 0) throw new AuthUnavailableError(`SATUSEHAT token request refused recently; next try in ${Math.ceil(wait / 1000)} s`, wait);
    const started = this.now();
    const url = `${this.options.authUrl}/accesstoken?grant_type=client_credentials`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: this.options.clientId, client_secret: this.options.clientSecret }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      this.options.onTokenRequest?.({ ok: false, status: null, durationMs: this.now() - started });
      const timeout = (err as Error).name === 'TimeoutError';
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const detail = timeout ? `no response within ${this.options.timeoutMs} ms` : (cause ?? (err as Error).message);
      throw new SatusehatTransportError(timeout ? 'timeout' : 'network', `token request failed: ${detail}`, this.now() - started);
    }
    const text = await response.text();
    this.options.onTokenRequest?.({ ok: response.ok, status: response.status, durationMs: this.now() - started });
    if (!response.ok) {
      const cooldown = this.options.failureCooldownMs ?? 60_000;
      // 5xx is SATUSEHAT's problem, not our credentials: retry sooner, but never in a tight loop.
      this.blockedUntil = this.now() + (response.status >= 500 ? Math.min(cooldown, 10_000) : cooldown);
      throw new AuthUnavailableError(`SATUSEHAT token request failed with HTTP ${response.status}: ${summarise(text)}`, this.blockedUntil - this.now());
    }
    let parsed: { access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AuthUnavailableError('SATUSEHAT token response is not JSON', 60_000);
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') throw new AuthUnavailableError('SATUSEHAT token response has no access_token', 60_000);
    // Every field arrives as a string; issued_at is epoch milliseconds.
    const expiresInMs = Number(parsed.expires_in ?? 3599) * 1000;
    const issuedAt = Number(parsed.issued_at) || started;
    const margin = Math.min(this.options.refreshMarginMs ?? FIVE_MINUTES, expiresInMs / 5);
    this.token = { value: parsed.access_token, expiresAt: Math.min(issuedAt, started) + expiresInMs - margin };
    return this.token;
  }
}

function summarise(text: string): string {
  try {
    const outcome = JSON.parse(text) as { issue?: Array<{ details?: { text?: string } }> };
    const details = outcome.issue?.map((i) => i.details?.text).filter(Boolean).join('; ');
    if (details) return details;
  } catch {
    /* not JSON */
  }
  return text.slice(0, 200);
}
