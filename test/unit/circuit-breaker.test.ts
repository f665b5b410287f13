import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../daemon/circuit-breaker.js';

describe('CircuitBreaker', () => {
  const make = () => {
    const events: string[] = [];
    const breaker = new CircuitBreaker({ threshold: 3, onOpen: (r) => events.push(`open: ${r}`), onClose: () => events.push('close') });
    return { breaker, events };
  };

  it('opens after N consecutive failures, once', () => {
    const { breaker, events } = make();
    breaker.record(503);
    breaker.record('timeout');
    expect(breaker.state).toBe('closed');
    breaker.record(502);
    breaker.record(502);
    expect(breaker.state).toBe('open');
    expect(events).toEqual(['open: 3 consecutive failures (last: HTTP 502)']);
  });

  it('a success or a 4xx in between resets the count', () => {
    const { breaker } = make();
    breaker.record(500);
    breaker.record(500);
    breaker.record(400);
    breaker.record(500);
    breaker.record(201);
    breaker.record(500);
    expect(breaker.state).toBe('closed');
  });

  it('closes on a probe that SATUSEHAT answers, not on 429 or 5xx', () => {
    const { breaker, events } = make();
    for (let i = 0; i < 3; i += 1) breaker.record('network');
    breaker.probed(503);
    breaker.probed(429);
    breaker.probed('timeout');
    expect(breaker.state).toBe('open');
    breaker.probed(404);
    expect(breaker.state).toBe('closed');
    expect(events.at(-1)).toBe('close');
  });
});
