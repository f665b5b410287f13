// Transport failures are not HTTP responses: the request may or may not have reached SATUSEHAT.

export class SatusehatTransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    message: string,
    readonly durationMs: number,
  ) {
    super(message);
    this.name = 'SatusehatTransportError';
  }
}

/** The token endpoint refused or could not be reached; sending is impossible until it recovers. */
export class AuthUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'AuthUnavailableError';
  }
}
