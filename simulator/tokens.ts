// OAuth2 client-credentials endpoint (reference A2) and bearer-token checks for FHIR routes.
import { randomBytes, randomUUID } from 'node:crypto';
import { issue, outcome } from './outcome.js';
import { fhirJson, json, type Reply } from './reply.js';
import type { Counters } from './stats.js';

export const AUTH_FAILED_TEXT =
  'The user or system was not able to be authenticated (either client_id or client_secret combination is unacceptable)';
export const AUTH_RATE_LIMIT_TEXT =
  'Authentication temporarily cannot be performed due to the rate limit policy. Rate limit: 1 request per minute after a failed attempt.';
const FAILURE_WINDOW_MS = 60_000;
// Sweep expired tokens only once the map is large: the daemon refreshes rarely, benchmarks may not.
const SWEEP_AT = 10_000;

export interface TokenConfig {
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
}

export class TokenService {
  private readonly tokens = new Map<string, number>();
  private readonly lastFailure = new Map<string, number>();
  private readonly applicationName = randomUUID();

  constructor(
    private readonly config: TokenConfig,
    private readonly counters: () => Counters,
  ) {}

  /** POST /oauth2/v1/accesstoken?grant_type=client_credentials with a form body. */
  issue(method: string, query: URLSearchParams, body: string, contentType: string): Reply {
    const stats = this.counters();
    if (method !== 'POST') return fhirJson(405, outcome([issue('not-supported', `Method ${method} not allowed on the token endpoint`)]));
    const form = parseForm(body, contentType);
    const clientId = form.get('client_id') ?? '';
    const now = Date.now();

    const failedAt = this.lastFailure.get(clientId);
    if (failedAt !== undefined && now - failedAt < FAILURE_WINDOW_MS) {
      stats.tokenFailures++;
      const retryAfter = String(Math.ceil((failedAt + FAILURE_WINDOW_MS - now) / 1000));
      return json(429, tokenOutcome(AUTH_RATE_LIMIT_TEXT), { 'retry-after': retryAfter });
    }
    const grantOk = (query.get('grant_type') ?? form.get('grant_type')) === 'client_credentials';
    if (!grantOk || clientId !== this.config.clientId || form.get('client_secret') !== this.config.clientSecret) {
      this.lastFailure.set(clientId, now);
      stats.tokenFailures++;
      return json(401, tokenOutcome(AUTH_FAILED_TEXT));
    }

    if (this.tokens.size >= SWEEP_AT) this.sweep(now);
    const accessToken = randomBytes(21).toString('base64url');
    this.tokens.set(accessToken, now + this.config.tokenTtlSeconds * 1000);
    stats.tokensIssued++;
    // Apigee's token shape: every value is a string, issued_at in epoch milliseconds.
    return json(200, {
      refresh_token_expires_in: '0',
      api_product_list: '[ihsv1]',
      api_product_list_json: ['ihsv1'],
      organization_name: 'SATUSEHAT Simulator',
      'developer.email': 'developer@simulator.invalid',
      token_type: 'BearerToken',
      issued_at: String(now),
      client_id: clientId,
      access_token: accessToken,
      application_name: this.applicationName,
      scope: '',
      expires_in: String(this.config.tokenTtlSeconds),
      refresh_count: '0',
      status: 'approved',
    });
  }

  /** Null when the Authorization header carries a live token, otherwise the 401 to send. */
  check(authorization: string | undefined): Reply | null {
    const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!m) return unauthorized('Unauthorized. Token not found');
    const expiresAt = this.tokens.get(m[1] as string);
    if (expiresAt === undefined || expiresAt <= Date.now()) return unauthorized('Unauthorized. Access token is invalid or expired');
    return null;
  }

  expireAll(): void {
    this.tokens.clear();
  }

  reset(): void {
    this.tokens.clear();
    this.lastFailure.clear();
  }

  private sweep(now: number): void {
    for (const [token, expiresAt] of this.tokens) if (expiresAt <= now) this.tokens.delete(token);
  }
}

function parseForm(body: string, contentType: string): URLSearchParams {
  if (contentType.includes('json')) {
    try {
      const obj = JSON.parse(body) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(obj).map(([k, v]): [string, string] => [k, String(v)]));
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(body);
}

// The official example uses the non-standard severity "invalid" with code "value" (reference A2).
function tokenOutcome(text: string): ReturnType<typeof outcome> {
  return outcome([{ severity: 'invalid', code: 'value', details: { text } }]);
}

function unauthorized(text: string): Reply {
  return fhirJson(401, outcome([issue('login', text)]), { 'www-authenticate': 'Bearer' });
}
