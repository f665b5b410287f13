// Every way an item's status may change, named by what causes it. The item store writes
// `items.status` only through these (each writer's WHERE names the statuses it moves from), and the
// database refuses any other change: a BEFORE UPDATE trigger (migration 20261202000001) holds the
// same pairs, frozen, and a test fails when the two differ. A new way of moving an item is an entry
// here plus a migration that rebuilds the trigger with itemStatusTriggerSql(pairs).
//
//   not_sent ──queue──▶ queued ──claim──▶ sending ──finish──▶ sent | failed | invalid | queued
//      ▲  ▲                                  │
//      │  └──────────── giveBack ────────────┘ (no verdict: a parent has no id, retry the Bundle)
//      └── release ── blocked ◀── plan (a parent has no id yet)
//
//   sending ──finish──▶ checking ──check──▶ queued (only the look-up by identifier goes out)
//   (the last attempt's outcome is unknown and the look-up failed: asked again with backoff)
import { ITEM_STATUSES, type ItemStatus } from '../../../types/items.js';

export interface Transition {
  from: readonly ItemStatus[];
  to: readonly ItemStatus[];
  /** What makes the item move: shown in the docs and in the refusal of a move not declared. */
  why: string;
}

/** Everything but `sending`: an item in flight belongs to its worker until the worker settles it. */
const AT_REST = ['not_sent', 'queued', 'blocked', 'failed', 'invalid', 'sent', 'checking'] as const satisfies readonly ItemStatus[];

export const TRANSITIONS = {
  plan: {
    from: AT_REST,
    to: ['not_sent', 'blocked', 'invalid'],
    why: 'the source row is new or changed and is planned again (an item being sent keeps its status: its worker finishes it, and a newer revision goes back to the queue)',
  },
  queue: { from: ['not_sent'], to: ['queued'], why: 'its send job was added' },
  claim: { from: ['not_sent', 'queued'], to: ['sending'], why: 'a worker took its job' },
  claimForBundle: { from: ['blocked', 'not_sent', 'queued'], to: ['sending'], why: "it travels in its visit's transaction Bundle" },
  finish: {
    from: ['sending'],
    to: ['sent', 'failed', 'invalid', 'queued', 'checking'],
    why: 'SATUSEHAT answered, or local validation refused the body; queued: try again later, or a newer revision waits; checking: the last attempt\'s outcome is unknown and the look-up by identifier failed too',
  },
  giveBack: {
    from: ['sending'],
    to: ['blocked', 'not_sent', 'queued'],
    why: 'the worker lets go without a verdict: a parent has no id, its Bundle is retried, or the work stopped',
  },
  takeOverStale: { from: ['sending'], to: ['queued'], why: 'its worker died mid-send; it is looked up by identifier before it is sent again' },
  release: { from: ['blocked'], to: ['not_sent'], why: 'every parent has a SATUSEHAT id now' },
  check: { from: ['checking'], to: ['queued'], why: 'its look-up is due: the reconciler queues it to ask SATUSEHAT whether the lost send was stored (the look-up only; nothing is sent)' },
  resend: { from: ['failed', 'invalid', 'not_sent', 'sent', 'checking'], to: ['not_sent'], why: 'an operator asked to send it again (a sent one as an update, with force)' },
  edit: { from: AT_REST, to: ['not_sent'], why: 'an operator saved an edited request' },
  regenerate: { from: ['failed'], to: ['not_sent'], why: 'an operator asked to try the failed items of a type again' },
  parentChanged: { from: ['sent'], to: ['not_sent'], why: 'a parent it names is now another SATUSEHAT resource (a corrected NIK): it goes again as an update naming the new one' },
  retract: { from: ['sent'], to: ['not_sent'], why: 'its Dekacare record was deleted or its visit cancelled: a revision saying so goes as an update' },
  refreshDiagnosis: { from: ['sent'], to: ['not_sent'], why: 'a Condition its diagnosis names got its id: the Encounter goes again as an update' },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** The statuses an item is created with (plan). */
export const INITIAL_STATUSES: readonly ItemStatus[] = TRANSITIONS.plan.to;

/** Every allowed change as `from>to` (staying in a status is not a change). */
export function allowedChanges(): Set<string> {
  const pairs = new Set<string>();
  for (const t of Object.values(TRANSITIONS) as Transition[]) {
    for (const from of t.from) for (const to of t.to) if (from !== to) pairs.add(`${from}>${to}`);
  }
  return pairs;
}

export const isAllowedChange = (from: ItemStatus, to: ItemStatus) => from === to || allowedChanges().has(`${from}>${to}`);

/** Which named transitions allow from → to, for a refusal that says what would. */
export const transitionsInto = (to: ItemStatus): TransitionName[] =>
  (Object.keys(TRANSITIONS) as TransitionName[]).filter((name) => (TRANSITIONS[name].to as readonly ItemStatus[]).includes(to));

/**
 * The statuses `name` moves from, for its writer's WHERE; throws (a programming error) if `to` is
 * not where that transition goes.
 */
export function movesFrom(name: TransitionName, to: ItemStatus): readonly ItemStatus[] {
  const t: Transition = TRANSITIONS[name];
  if (!t.to.includes(to)) throw new Error(`item transition ${name} does not go to ${to} (it goes to ${t.to.join(', ')})`);
  return t.from;
}

/** `status IN ('a', 'b')` for raw SQL; `column` may carry a table alias. */
export const statusIn = (name: TransitionName, to: ItemStatus, column = 'status') => `${column} IN (${movesFrom(name, to).map((s) => `'${s}'`).join(', ')})`;

/** The trigger that makes the database refuse every change of status not among `pairs` (`from>to`). */
export function itemStatusTriggerSql(pairs: readonly string[]): string[] {
  const allowed = [...pairs].sort().map((p) => `'${p}'`).join(', ');
  return [
    'DROP TRIGGER IF EXISTS items_status_transition',
    `CREATE TRIGGER items_status_transition BEFORE UPDATE ON items FOR EACH ROW
     BEGIN
       DECLARE refused VARCHAR(200);
       IF NEW.status <> OLD.status AND CONCAT(OLD.status, '>', NEW.status) NOT IN (${allowed}) THEN
         SET refused = CONCAT('item ', OLD.id, ': status ', OLD.status, ' -> ', NEW.status, ' is not a declared transition (shared/db/state/items/transitions.ts)');
         SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = refused;
       END IF;
     END`,
  ];
}

/** The statuses, for tests that walk every pair. */
export const ALL_STATUSES: readonly ItemStatus[] = ITEM_STATUSES;
