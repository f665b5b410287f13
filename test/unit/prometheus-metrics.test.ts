import { describe, expect, it } from 'vitest';
import {
  escapeLabelValue, formatValue, gaugeFamily, metrics, recordRateLimitWait, recordSend, recordTokenRequest, Registry, renderFamilies,
} from '../../shared/metrics/prometheus-metrics.js';

/** Every line of a 0.0.4 body is a comment or `name{labels} value`. */
const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\\\|\\"|\\n)*",?)*\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$/;

function assertParses(text: string): void {
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line, line).toMatch(SAMPLE_LINE);
  }
}

describe('Prometheus text rendering', () => {
  it('renders HELP and TYPE once per family, then samples with labels', () => {
    const r = new Registry();
    const c = r.counter({ name: 'jobs_total', help: 'Jobs done.', labelNames: ['type', 'code'] });
    c.inc({ type: 'Encounter', code: 201 });
    c.inc({ type: 'Encounter', code: 201 }, 2);
    c.inc({ type: 'Patient', code: 'timeout' });
    const text = r.render();
    expect(text).toBe(
      ['# HELP jobs_total Jobs done.', '# TYPE jobs_total counter', 'jobs_total{type="Encounter",code="201"} 3', 'jobs_total{type="Patient",code="timeout"} 1', ''].join('\n'),
    );
    assertParses(text);
  });

  it('escapes backslash, double quote and newline in label values, and backslash and newline in HELP', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const r = new Registry();
    r.gauge({ name: 'g', help: 'line one\nline two \\ done', labelNames: ['path'] }).set({ path: 'C:\\tmp\n"x"' }, 1);
    const text = r.render();
    expect(text).toContain('# HELP g line one\\nline two \\\\ done\n');
    expect(text).toContain('g{path="C:\\\\tmp\\n\\"x\\""} 1\n');
    assertParses(text);
  });

  it('renders histograms as cumulative _bucket{le} series with +Inf, _sum and _count', () => {
    const r = new Registry();
    const h = r.histogram({ name: 'req_seconds', help: 'Request time.', labelNames: ['type'], buckets: [0.1, 1, 0.5] });
    for (const v of [0.05, 0.1, 0.3, 0.7, 2, 9]) h.observe({ type: 'Encounter' }, v);
    h.observe({ type: 'Encounter' }, Number.NaN); // ignored
    const lines = r.render().trimEnd().split('\n');
    expect(lines).toEqual([
      '# HELP req_seconds Request time.',
      '# TYPE req_seconds histogram',
      'req_seconds_bucket{type="Encounter",le="0.1"} 2',
      'req_seconds_bucket{type="Encounter",le="0.5"} 3',
      'req_seconds_bucket{type="Encounter",le="1"} 4',
      'req_seconds_bucket{type="Encounter",le="+Inf"} 6',
      'req_seconds_sum{type="Encounter"} 12.15',
      'req_seconds_count{type="Encounter"} 6',
    ]);
  });

  it('starts an unlabelled counter at 0 and ignores negative increments', () => {
    const r = new Registry();
    const c = r.counter({ name: 'waits_total', help: 'x' });
    expect(r.render()).toContain('waits_total 0\n');
    c.inc(undefined, -5);
    c.inc(undefined, 1.5);
    expect(c.get()).toBe(1.5);
  });

  it('refuses bad names, reserved labels and duplicates', () => {
    const r = new Registry();
    expect(() => r.counter({ name: '1bad', help: 'x' })).toThrow(/invalid metric name/);
    expect(() => r.counter({ name: 'ok_total', help: 'x', labelNames: ['__reserved'] })).toThrow(/invalid label name/);
    expect(() => r.histogram({ name: 'h', help: 'x', labelNames: ['le'] })).toThrow(/invalid label name/);
    r.counter({ name: 'once_total', help: 'x' });
    expect(() => r.counter({ name: 'once_total', help: 'x' })).toThrow(/already registered/);
    expect(() => renderFamilies([gaugeFamily('dup', 'x', []), gaugeFamily('dup', 'x', [])])).toThrow(/twice/);
  });

  it('formats special values the way Prometheus parses them', () => {
    expect([formatValue(Number.NaN), formatValue(Infinity), formatValue(-Infinity), formatValue(0.25), formatValue(1e21)]).toEqual(['NaN', '+Inf', '-Inf', '0.25', '1e+21']);
  });

  it('renders scrape-time gauge families after the registry', () => {
    const r = new Registry();
    r.counter({ name: 'a_total', help: 'a' });
    const text = r.render([gaugeFamily('satusehat_items', 'Items.', [{ labels: { type: 'Encounter', status: 'sent' }, value: 12 }])]);
    expect(text.indexOf('a_total')).toBeLessThan(text.indexOf('satusehat_items'));
    expect(text).toContain('satusehat_items{type="Encounter",status="sent"} 12\n');
    assertParses(text);
  });
});

describe('the daemon metrics helpers', () => {
  it('record sends, rate-limit waits and token requests in the default registry', () => {
    metrics.reset();
    recordSend('Encounter', 201, 0.2);
    recordSend('Encounter', 201, 0.4);
    recordSend('Patient', 'timeout', 30);
    recordRateLimitWait(0.5);
    recordRateLimitWait(0);
    recordTokenRequest(true);
    recordTokenRequest(false);
    const text = metrics.render();
    assertParses(text);
    expect(text).toContain('satusehat_sends_total{type="Encounter",code="201"} 2\n');
    expect(text).toContain('satusehat_sends_total{type="Patient",code="timeout"} 1\n');
    expect(text).toContain('satusehat_send_duration_seconds_bucket{type="Encounter",le="0.25"} 1\n');
    expect(text).toContain('satusehat_send_duration_seconds_bucket{type="Patient",le="30"} 1\n');
    expect(text).toContain('satusehat_send_duration_seconds_count{type="Encounter"} 2\n');
    expect(text).toContain('satusehat_rate_limit_wait_seconds_total 0.5\n');
    expect(text).toContain('satusehat_token_requests_total{outcome="ok"} 1\n');
    expect(text).toContain('satusehat_token_requests_total{outcome="error"} 1\n');
    for (const name of ['satusehat_sends_total', 'satusehat_send_duration_seconds', 'satusehat_rate_limit_wait_seconds_total', 'satusehat_token_requests_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});
