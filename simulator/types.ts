// Public contract of the SATUSEHAT simulator. Other modules and tests depend on these shapes.

export interface SimulatorFaults {
  /** Added to every FHIR response. */
  latencyMs: number;
  /** 0..1: answer 500/502/503/504 with a text/plain gateway body. */
  errorRate5xx: number;
  /** 0..1: answer 429. */
  rate429: number;
  /** Retry-After on injected and rate-limit 429s; null omits the header. */
  retryAfterSeconds: number | null;
  /** 0..1: accept the request and never answer. */
  hangRate: number;
  /** How long a hung request is held before its socket is destroyed. */
  hangMs: number;
  /** 0..1: for POST/PUT, store the resource and then drop the connection without a response. */
  lostResponseRate: number;
  /**
   * 0..1: share of the injected 5xx and hangs on a write (POST, PUT, PATCH, a transaction) that
   * come after the write was handled and stored, as when a gateway times out on a backend that
   * committed. 0: they come before, and nothing is stored.
   */
  afterStoreShare: number;
  /** Which FHIR requests 429, 5xx, hangs and latency apply to; a lost response is always a write's. */
  faultScope: FaultScope;
  /** Sliding 60 s window over FHIR + token requests; null = off. */
  rateLimitPerMinute: number | null;
  /** Body of every 429 (injected and rate-limit window): an OperationOutcome, or an Apigee fault (reference A13). */
  rate429Body: Rate429Body;
  /**
   * null: a rejected write answers 400 with an OperationOutcome. 200 or 400: with a bare JSON array
   * of rule violations `[{"ruleNumber","message"}]` and that HTTP status (reference A13).
   */
  ruleArrayStatus: 200 | 400 | null;
  /** A rejected transaction answers 400 with a transaction-response Bundle whose entry[].response.outcome holds each entry's issues. */
  transactionEntryOutcomes: boolean;
}

export type FaultScope = 'all' | 'writes' | 'reads';

export type Rate429Body = 'operation-outcome' | 'apigee-quota' | 'apigee-spike-arrest';

export interface SimulatorOptions {
  /** 0 = random. */
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  orgId?: string;
  /** expires_in of issued tokens. */
  tokenTtlSeconds?: number;
  /** Share (0..100) of non-dummy NIKs that the MPI/MNI do not know. */
  unknownNikPercent?: number;
  /**
   * Reject a Patient/Practitioner reference whose display is not the censored name the MPI/MNI
   * serves (10118/10119), as SATUSEHAT does since 21 Nov 2024. Default true.
   */
  enforceDisplayNames?: boolean;
  /** Date floor of rule 10132, 'YYYY-MM-DD' (00:00 UTC): earlier date-times are rejected. */
  minResourceDate?: string;
  /** Seed for the fault PRNG, so a run's injected faults can be replayed. Random when omitted. */
  seed?: number;
  faults?: Partial<SimulatorFaults>;
}

export interface InjectedStats {
  '5xx': number;
  '429': number;
  hang: number;
  lost: number;
  rateLimited: number;
  /** Of the 5xx and hangs: those answered after the write was stored. */
  afterStore: number;
  /**
   * Of the 5xx, 429s and hangs: those that struck a read of the facility's own Organization
   * (GET Organization/<orgId>), the request of a sync's reachability check and of the circuit's
   * probe. No item sends it (the facility is not an item), so these are no item's attempts.
   */
  onOrgRead: { '5xx': number; '429': number; hang: number };
}

export interface SimulatorStats {
  /** Every HTTP request received outside /__sim. */
  requests: number;
  /** HTTP status code -> responses sent. */
  byStatus: Record<string, number>;
  /** resourceType -> resources created (POST and Bundle entries). */
  created: Record<string, number>;
  /** resourceType -> PUT/PATCH updates (including Bundle PUT entries). */
  updated: Record<string, number>;
  /** resourceType -> resources currently stored. */
  stored: Record<string, number>;
  /** resourceType -> 20002 rejections. */
  duplicatesRejected: Record<string, number>;
  /** Searched resourceType -> searches. */
  lookups: Record<string, number>;
  /** Transaction bundles accepted. */
  bundles: number;
  tokensIssued: number;
  tokenFailures: number;
  injected: InjectedStats;
  /** Identifiers stored more than once for the same type+system|value: must stay 0 (proves no duplicates). */
  duplicateIdentifiersStored: number;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** `${url}/oauth2/v1` */
  authUrl: string;
  /** `${url}/fhir-r4/v1` */
  fhirUrl: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  stats(): SimulatorStats;
  setFaults(faults: Partial<SimulatorFaults>): void;
  /** Invalidate every issued token now (token expiry mid-run). */
  expireTokens(): void;
  /** Clear stored resources, tokens, token-failure memory, the rate window and stats. Faults stay. */
  reset(): void;
  /** All stored resources of a type (copies, for tests). */
  resources(type: string): Array<Record<string, unknown>>;
  /**
   * For tests: what someone else did on SATUSEHAT. Stores a resource as it is, with no rule or
   * duplicate check (a duplicate planted this way is counted in duplicateIdentifiersStored);
   * keeps its id, or gives it one. Returns the id.
   */
  plant(type: string, resource: Record<string, unknown>): string;
  /** For tests: a resource gone from SATUSEHAT. False when there was none. */
  remove(type: string, id: string): boolean;
  /** Also destroys hung sockets so tests never hang. */
  close(): Promise<void>;
}

export const DEFAULT_FAULTS: Readonly<SimulatorFaults> = Object.freeze({
  latencyMs: 0,
  errorRate5xx: 0,
  rate429: 0,
  retryAfterSeconds: 1,
  hangRate: 0,
  hangMs: 120_000,
  lostResponseRate: 0,
  afterStoreShare: 0,
  faultScope: 'all',
  rateLimitPerMinute: null,
  rate429Body: 'operation-outcome',
  ruleArrayStatus: null,
  transactionEntryOutcomes: false,
});

export const DEFAULT_OPTIONS = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  clientId: 'sim-client',
  clientSecret: 'sim-secret',
  orgId: '100011961',
  tokenTtlSeconds: 3600,
  unknownNikPercent: 3,
  enforceDisplayNames: true,
  // Kamus Validasi's 10132 text; the Playbook says 2014-06-03 (docs/date-floor.md).
  minResourceDate: '2022-08-31',
});

/** A FHIR-ish JSON object as stored and served. */
export type JsonObject = Record<string, unknown>;
