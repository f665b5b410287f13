// One access token for the whole clinic, refreshed ahead of expiry by a single caller at a time.
// The store decides how far "shared" reaches: memory (one process) or Redis (every daemon).
// After a refused token request SATUSEHAT allows one more try per minute; the cool-down is shared too.
import { AuthUnavailableError, SatusehatTransportError } from './errors.js';

export interface AccessToken {
  value: string;
  /** Epoch ms after which it must not be used (already shortened by the refresh margin). */
  expiresAt: number;
}

export interface TokenStore {
  get(): Promise<AccessToken | null>;
  set(token: AccessToken): Promise<void>;
  /** Forget the token if it is still this value (after a 401). */
  clear(value: string): Promise<void>;
  /** Runs fn while no other caller refreshes; may instead return a token another caller fetched. */
  withRefreshLock(fn: () => Promise<AccessToken>): Promise<AccessToken>;
  blockedUntil(): Promise<number>;
  block(until: number): Promise<void>;
}

export function createMemoryTokenStore(): TokenStore {
  let token: AccessToken | null = null;
  let inFlight: Promise<AccessToken> | null = null;
  let blocked = 0;
  return {
    get: async () => token,
    set: async (t) => {
      token = t;
    },
    clear: async (value) => {
      if (token?.value === value) token = null;
    },
    withRefreshLock(fn) {
      inFlight ??= fn().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    blockedUntil: async () => blocked,
    block: async (until) => {
      blocked = until;
    },
  };
}

export interface TokenManagerOptions {
  authUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  store?: TokenStore;
  /** Waits for a slot of the shared request rate before each token request. */
  beforeRequest?: () => Promise<unknown>;
  /** Refresh this long before expiry (default 5 minutes, shortened for very short-lived tokens). */
  refreshMarginMs?: number;
  /** Wait after a failed token request (SATUSEHAT: 1 request per minute after a failure). */
  failureCooldownMs?: number;
  now?: () => number;
  onTokenRequest?: (outcome: { ok: boolean; status: number | null; durationMs: number }) => void;
}

const FIVE_MINUTES = 5 * 60_000;

export class TokenManager {
  private readonly store: TokenStore;
  private readonly now: () => number;
  private lastKnown: AccessToken | null = null;

  constructor(private readonly options: TokenManagerOptions) {
    this.store = options.store ?? createMemoryTokenStore();
    this.now = options.now ?? Date.now;
  }

  /** A valid token, fetching one if none is cached or it is close to expiry. */
  async get(): Promise<string> {
    // This process's copy first: one Redis round trip less per request. A 401 clears it.
    if (this.lastKnown && this.now() < this.lastKnown.expiresAt) return this.lastKnown.value;
    const cached = await this.store.get();
    if (cached && this.now() < cached.expiresAt) return this.remember(cached).value;
    const fresh = await this.store.withRefreshLock(async () => {
      const again = await this.store.get();
      if (again && this.now() < again.expiresAt) return again;
      return this.fetchToken();
    });
    return this.remember(fresh).value;
  }

  /** Forget the cached token (after a 401) unless a newer one replaced it meanwhile. */
  async invalidate(value: string): Promise<void> {
    await this.store.clear(value);
    if (this.lastKnown?.value === value) this.lastKnown = null;
  }

  /** For health checks: is there a token this process could use right now? */
  state(): { valid: boolean; expiresAt: number | null } {
    return { valid: Boolean(this.lastKnown && this.now() < this.lastKnown.expiresAt), expiresAt: this.lastKnown?.expiresAt ?? null };
  }

  private remember(token: AccessToken): AccessToken {
    this.lastKnown = token;
    return token;
  }

  private async fetchToken(): Promise<AccessToken> {
    const wait = (await this.store.blockedUntil()) - this.now();
    if (wait > 0) throw new AuthUnavailableError(`SATUSEHAT token request refused recently; next try in ${Math.ceil(wait / 1000)} s`, wait);
    await this.options.beforeRequest?.();
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
      const until = this.now() + (response.status >= 500 ? Math.min(cooldown, 10_000) : cooldown);
      await this.store.block(until);
      throw new AuthUnavailableError(`SATUSEHAT token request failed with HTTP ${response.status}: ${summarise(text)}`, until - this.now());
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
    const token = { value: parsed.access_token, expiresAt: Math.min(issuedAt, started) + expiresInMs - margin };
    await this.store.set(token);
    return token;
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
