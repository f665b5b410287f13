// In-memory metrics (counters, gauges, histograms with labels) and their Prometheus text
// rendering (exposition format 0.0.4). Pure: no I/O, no clock; the health server serves the text.
// Recording never throws on bad input from the hot path (a NaN duration, a negative wait): metrics
// must not be able to fail a send.

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type Labels = Readonly<Record<string, string | number>>;

/** One line of output: `name{labels} value`. `name` already carries any suffix (_bucket, _sum). */
export interface Sample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** What is rendered for one metric: HELP and TYPE once, then its samples. */
export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus' default buckets are for web requests; these reach SATUSEHAT's 30 s timeout. */
export const DEFAULT_BUCKETS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function checkNames(name: string, labelNames: readonly string[], reserved: readonly string[] = []): void {
  if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label) || label.startsWith('__') || reserved.includes(label)) throw new Error(`invalid label name "${label}" on ${name}`);
  }
  if (new Set(labelNames).size !== labelNames.length) throw new Error(`duplicate label name on ${name}`);
}

/** Label values in the declared order; a missing label is the empty string (Prometheus: absent). */
function labelValues(labelNames: readonly string[], labels: Labels | undefined): string[] {
  return labelNames.map((n) => (labels?.[n] === undefined ? '' : String(labels[n])));
}

const keyOf = (values: string[]) => JSON.stringify(values);

function labelObject(labelNames: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  labelNames.forEach((n, i) => {
    out[n] = values[i] ?? '';
  });
  return out;
}

interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
}

export interface Metric {
  readonly name: string;
  collect(): MetricFamily;
  reset(): void;
}

export class Counter implements Metric {
  readonly name: string;
  private readonly values = new Map<string, { labels: string[]; value: number }>();

  constructor(private readonly options: MetricOptions) {
    checkNames(options.name, options.labelNames ?? []);
    this.name = options.name;
  }

  /** Adds `value` (default 1). Negative or non-finite values are ignored: a counter only goes up. */
  inc(labels?: Labels, value = 1): void {
    if (!Number.isFinite(value) || value < 0) return;
    const values = labelValues(this.options.labelNames ?? [], labels);
    const key = keyOf(values);
    const entry = this.values.get(key);
    if (entry) entry.value += value;
    else this.values.set(key, { labels: values, value });
  }

  get(labels?: Labels): number {
    return this.values.get(keyOf(labelValues(this.options.labelNames ?? [], labels)))?.value ?? 0;
  }

  collect(): MetricFamily {
    const labelNames = this.options.labelNames ?? [];
    const entries = [...this.values.values()];
    // A counter without labels exists from the start, at 0, so rate() has a baseline.
    if (labelNames.length === 0 && entries.length === 0) entries.push({ labels: [], value: 0 });
    return {
      name: this.name,
      help: this.options.help,
      type: 'counter',
      samples: entries.map((e) => ({ name: this.name, labels: labelObject(labelNames, e.labels), value: e.value })),
    };
  }

  reset(): void {
    this.values.clear();
  }
}

export class Gauge implements Metric {
  readonly name: string;
  private readonly values = new Map<string, { labels: string[]; value: number }>();

  constructor(private readonly options: MetricOptions) {
    checkNames(options.name, options.labelNames ?? []);
    this.name = options.name;
  }

  set(labels: Labels | undefined, value: number): void {
    const values = labelValues(this.options.labelNames ?? [], labels);
    this.values.set(keyOf(values), { labels: values, value });
  }

  inc(labels?: Labels, value = 1): void {
    const values = labelValues(this.options.labelNames ?? [], labels);
    const key = keyOf(values);
    const entry = this.values.get(key);
    if (entry) entry.value += value;
    else this.values.set(key, { labels: values, value });
  }

  dec(labels?: Labels, value = 1): void {
    this.inc(labels, -value);
  }

  get(labels?: Labels): number | undefined {
    return this.values.get(keyOf(labelValues(this.options.labelNames ?? [], labels)))?.value;
  }

  collect(): MetricFamily {
    const labelNames = this.options.labelNames ?? [];
    return {
      name: this.name,
      help: this.options.help,
      type: 'gauge',
      samples: [...this.values.values()].map((e) => ({ name: this.name, labels: labelObject(labelNames, e.labels), value: e.value })),
    };
  }

  reset(): void {
    this.values.clear();
  }
}

interface HistogramOptions extends MetricOptions {
  buckets?: readonly number[];
}

export class Histogram implements Metric {
  readonly name: string;
  readonly buckets: readonly number[];
  private readonly values = new Map<string, { labels: string[]; counts: number[]; sum: number; count: number }>();

  constructor(private readonly options: HistogramOptions) {
    checkNames(options.name, options.labelNames ?? [], ['le']);
    this.name = options.name;
    const buckets = [...(options.buckets ?? DEFAULT_BUCKETS)].filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
    if (buckets.length === 0 || new Set(buckets).size !== buckets.length) throw new Error(`histogram ${options.name} needs distinct finite buckets`);
    this.buckets = buckets;
  }

  /** Records one observation. Non-finite values are ignored. */
  observe(labels: Labels | undefined, value: number): void {
    if (!Number.isFinite(value)) return;
    const values = labelValues(this.options.labelNames ?? [], labels);
    const key = keyOf(values);
    let entry = this.values.get(key);
    if (!entry) {
      entry = { labels: values, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.values.set(key, entry);
    }
    // Non-cumulative per bucket here; collect() makes them cumulative as the format requires.
    const index = this.buckets.findIndex((b) => value <= b);
    if (index >= 0) entry.counts[index]! += 1;
    entry.sum += value;
    entry.count += 1;
  }

  collect(): MetricFamily {
    const labelNames = this.options.labelNames ?? [];
    const samples: Sample[] = [];
    for (const entry of this.values.values()) {
      const base = labelObject(labelNames, entry.labels);
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += entry.counts[i]!;
        samples.push({ name: `${this.name}_bucket`, labels: { ...base, le: formatValue(bound) }, value: cumulative });
      });
      samples.push({ name: `${this.name}_bucket`, labels: { ...base, le: '+Inf' }, value: entry.count });
      samples.push({ name: `${this.name}_sum`, labels: base, value: entry.sum });
      samples.push({ name: `${this.name}_count`, labels: base, value: entry.count });
    }
    return { name: this.name, help: this.options.help, type: 'histogram', samples };
  }

  reset(): void {
    this.values.clear();
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric>();

  counter(options: MetricOptions): Counter {
    return this.add(new Counter(options));
  }

  gauge(options: MetricOptions): Gauge {
    return this.add(new Gauge(options));
  }

  histogram(options: HistogramOptions): Histogram {
    return this.add(new Histogram(options));
  }

  collect(): MetricFamily[] {
    return [...this.metrics.values()].map((m) => m.collect());
  }

  /** Registry metrics plus families computed elsewhere (scrape-time gauges), as one text body. */
  render(extra: MetricFamily[] = []): string {
    return renderFamilies([...this.collect(), ...extra]);
  }

  /** Zeroes every metric (tests). */
  reset(): void {
    for (const m of this.metrics.values()) m.reset();
  }

  private add<T extends Metric>(metric: T): T {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} is already registered`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

/** A gauge family built on the spot, e.g. from a SQL GROUP BY at scrape time. */
export function gaugeFamily(name: string, help: string, rows: Array<{ labels?: Record<string, string | number>; value: number }>): MetricFamily {
  checkNames(name, []);
  return {
    name,
    help,
    type: 'gauge',
    samples: rows.map((r) => ({ name, labels: Object.fromEntries(Object.entries(r.labels ?? {}).map(([k, v]) => [k, String(v)])), value: r.value })),
  };
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Text format 0.0.4: HELP and TYPE per family, then its samples; ends with a newline. */
export function renderFamilies(families: MetricFamily[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    if (seen.has(family.name)) throw new Error(`metric family ${family.name} rendered twice`);
    seen.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const s of family.samples) lines.push(`${s.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

// ── The process-wide registry and the daemon's own metrics ──────────────────────────────────────

/** Every metric this process records; /metrics renders it plus the scrape-time gauges. */
export const metrics = new Registry();

export const sendsTotal = metrics.counter({
  name: 'satusehat_sends_total',
  help: 'Requests sent to SATUSEHAT FHIR, by resource type and HTTP code (or timeout / network when there was no response).',
  labelNames: ['type', 'code'],
});

export const sendDurationSeconds = metrics.histogram({
  name: 'satusehat_send_duration_seconds',
  help: 'Duration of SATUSEHAT FHIR requests, by resource type, including failed ones.',
  labelNames: ['type'],
});

export const rateLimitWaitSecondsTotal = metrics.counter({
  name: 'satusehat_rate_limit_wait_seconds_total',
  help: 'Time spent waiting for a slot of the shared SATUSEHAT request rate.',
});

export const tokenRequestsTotal = metrics.counter({
  name: 'satusehat_token_requests_total',
  help: 'OAuth2 token requests to SATUSEHAT, by outcome (ok or error).',
  labelNames: ['outcome'],
});

/** One FHIR request: its resource type, HTTP code (or 'timeout' / 'network') and duration. */
export function recordSend(type: string, code: number | 'timeout' | 'network', seconds: number): void {
  sendsTotal.inc({ type, code: String(code) });
  sendDurationSeconds.observe({ type }, seconds);
}

/** Time a request waited for the shared rate limiter (0 is fine: nothing is added). */
export function recordRateLimitWait(seconds: number): void {
  if (seconds > 0) rateLimitWaitSecondsTotal.inc(undefined, seconds);
}

export function recordTokenRequest(ok: boolean): void {
  tokenRequestsTotal.inc({ outcome: ok ? 'ok' : 'error' });
}

// Both outcomes exist from the start, so an alert on the error rate has a baseline.
tokenRequestsTotal.inc({ outcome: 'ok' }, 0);
tokenRequestsTotal.inc({ outcome: 'error' }, 0);
