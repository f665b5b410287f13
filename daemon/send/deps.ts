// What a send job needs from the process that runs it, and what it reports back.
import type { Db } from '../../shared/db/connect.js';
import { registry } from '../../shared/fhir/registry.js';
import type { ResourceTypeName } from '../../shared/fhir/types.js';
import type { Logger } from '../../shared/log/create-logger.js';
import type { SatusehatClient } from '../../shared/satusehat/client.js';
import type { ExchangeObserver } from '../../shared/satusehat/recorded-request.js';
import type { SendJobData } from '../../shared/types/items.js';
import type { ReleaseScanRequests } from './release-scan-requests.js';

export interface SendDeps {
  db: Db;
  client: SatusehatClient;
  /** Adds jobs for items this send released (children whose parents are now all sent). */
  enqueue(jobs: SendJobData[]): Promise<void>;
  /** Removes jobs of items that went out another way (optional: a stale job only skips). */
  withdraw?(jobs: SendJobData[]): Promise<void>;
  log: Logger;
  workerId: string;
  sendingStaleMs: number;
  /** Where a failure after a commit asks for the reconciler's walk over blocked items. */
  releaseScans: ReleaseScanRequests;
  /** 'bundle': an Encounter goes with its Conditions, Observations… in one transaction Bundle. */
  sendMode?: 'single' | 'bundle';
  /** Validate against FHIR R4 + SATUSEHAT rules before sending (default true). */
  validate?: boolean;
  /** MIN_RESOURCE_DATE: the date floor of that validation (default 2022-08-31). */
  minResourceDate?: string;
  observe?: ExchangeObserver;
  /** UNKNOWN_CHECK_BASE_MS: base of the backoff between look-ups of an unknown outcome. */
  checkBaseMs?: number;
}

export type SendResult = { kind: 'sent' | 'failed' | 'blocked' | 'skipped' | 'invalid' | 'checking'; detail?: string };

/** Thrown to let BullMQ retry later with backoff; the attempt is already recorded. */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'RetryableSendError';
  }
}

export const fhirTypeOf = (name: string) => registry[name as ResourceTypeName]?.fhirType ?? name;
