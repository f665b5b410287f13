// The SATUSEHAT client against the simulator: token caching, single-flight refresh, 401 retry,
// failure cool-down, and transport errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SatusehatClient } from '../../shared/satusehat/client.js';
import { AuthUnavailableError, SatusehatTransportError } from '../../shared/satusehat/errors.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';

describe('SatusehatClient', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tokenTtlSeconds: 3600 });
  });
  afterAll(async () => sim?.close());
  const client = (overrides: Partial<ConstructorParameters<typeof SatusehatClient>[0]> = {}) =>
    new SatusehatClient({ authUrl: sim.authUrl, fhirUrl: sim.fhirUrl, clientId: sim.clientId, clientSecret: sim.clientSecret, timeoutMs: 1500, ...overrides });

  it('fetches one token for many concurrent requests', async () => {
    sim.reset();
    const c = client();
    const responses = await Promise.all(Array.from({ length: 20 }, () => c.request('GET', 'Patient?identifier=' + encodeURIComponent('https://fhir.kemkes.go.id/id/nik|9271060312000001'))));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses[0]!.json?.total).toBe(1);
    expect(sim.stats().tokensIssued).toBe(1);
  });

  it('refreshes once and retries once after a 401 (token expired mid-run)', async () => {
    sim.reset();
    const c = client();
    expect((await c.request('GET', 'Practitioner?identifier=' + encodeURIComponent('https://fhir.kemkes.go.id/id/nik|7209061211900001'))).status).toBe(200);
    sim.expireTokens();
    const again = await c.request('GET', 'Practitioner?identifier=' + encodeURIComponent('https://fhir.kemkes.go.id/id/nik|7209061211900001'));
    expect(again.status).toBe(200);
    expect(sim.stats().tokensIssued).toBe(2);
  });

  it('waits a minute after the token endpoint refuses the credentials', async () => {
    sim.reset();
    const c = client({ clientSecret: 'wrong' });
    await expect(c.request('GET', 'Patient/P02478375538')).rejects.toThrow(AuthUnavailableError);
    await expect(c.request('GET', 'Patient/P02478375538')).rejects.toThrow(/next try in \d+ s/);
    expect(sim.stats().tokenFailures).toBe(1);
  });

  it('keeps a text/plain 5xx body and reports timeouts as transport errors', async () => {
    sim.reset();
    const c = client();
    sim.setFaults({ errorRate5xx: 1 });
    const failed = await c.request('GET', 'Patient/P02478375538');
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.json).toBeNull();
    expect(failed.text.length).toBeGreaterThan(0);
    sim.setFaults({ errorRate5xx: 0, hangRate: 1, hangMs: 5000 });
    const error = await c.request('GET', 'Patient/P02478375538').catch((e) => e);
    expect(error).toBeInstanceOf(SatusehatTransportError);
    expect((error as SatusehatTransportError).kind).toBe('timeout');
    sim.setFaults({ hangRate: 0 });
  });
});
