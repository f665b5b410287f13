// Item statuses as stored in `items.status`, and the words the operator sees for them.

export const ITEM_STATUSES = ['not_sent', 'queued', 'sending', 'sent', 'failed', 'invalid', 'blocked', 'checking'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Statuses a worker may claim for sending. */
export const CLAIMABLE_STATUSES: readonly ItemStatus[] = ['not_sent', 'queued'];

/** Dekacare's own words (mission point 6) plus ours for the states it did not have. */
export const STATUS_LABELS: Record<ItemStatus, string> = {
  not_sent: 'Belum Terkirim',
  queued: 'Antri',
  sending: 'Mengirim',
  sent: 'Terkirim',
  failed: 'Tidak Terkirim',
  invalid: 'Tidak Valid',
  blocked: 'Menunggu',
  /** The outcome of its last send is unknown and the look-up failed: SATUSEHAT is asked again. */
  checking: 'Menunggu Cek',
};

export function isItemStatus(value: string): value is ItemStatus {
  return (ITEM_STATUSES as readonly string[]).includes(value);
}

/** The pointer a send job carries: the worker re-reads everything else from the state DB. */
export interface SendJobData {
  itemId: number;
  revision: number;
  /**
   * Set when a sent item goes again because a child it names got its id (an Encounter and the
   * Condition of its diagnosis): `c<child item id>` or `a<attempt>`. Part of the job id, so that
   * the add is not swallowed by the item's own job while that is still finishing.
   */
  refresh?: string;
}

/** An item as the CLI and the TUI show it (the state DB adds what only the send path reads). */
export interface ItemRow {
  id: number;
  type: string;
  sourceKey: string;
  status: ItemStatus;
  httpCode: number | null;
  errorClass: string | null;
  satusehatId: string | null;
  businessDate: string | null;
  summary: Record<string, string | null>;
  lastError: string | null;
  blockedBy: string | null;
  attemptCount: number;
  currentRevision: number;
  updatedAt: string;
  sentAt: string | null;
}
