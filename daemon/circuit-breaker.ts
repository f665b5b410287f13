// When SATUSEHAT keeps failing (consecutive 5xx, timeouts or network errors), stop sending and
// probe instead of burning every item's retries; resume by itself when a probe succeeds.
export type CircuitState = 'closed' | 'open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  onOpen(reason: string): void;
  onClose(): void;
}

/** Pure state machine; the dispatcher feeds it outcomes and runs the probes. */
export class CircuitBreaker {
  private consecutive = 0;
  private lastFailure = '';
  state: CircuitState = 'closed';
  reason: string | null = null;

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** Feed every exchange's result: an HTTP code, or 'timeout' / 'network'. */
  record(code: number | 'timeout' | 'network'): void {
    const failure = code === 'timeout' || code === 'network' || (typeof code === 'number' && code >= 500);
    if (!failure) {
      this.consecutive = 0;
      return;
    }
    this.consecutive += 1;
    this.lastFailure = typeof code === 'number' ? `HTTP ${code}` : code;
    if (this.state === 'closed' && this.consecutive >= this.options.threshold) {
      this.state = 'open';
      this.reason = `${this.consecutive} consecutive failures (last: ${this.lastFailure})`;
      this.options.onOpen(this.reason);
    }
  }

  /** A probe answered: anything below 500 except 429 means SATUSEHAT is serving again. */
  probed(code: number | 'timeout' | 'network'): void {
    if (this.state !== 'open') return;
    if (typeof code === 'number' && code < 500 && code !== 429) {
      this.state = 'closed';
      this.reason = null;
      this.consecutive = 0;
      this.options.onClose();
    }
  }
}
