// Saving an operator's edited request body as a new revision (mission point 7: fix and resend).
// Checks run before anything is written; the write itself is one transaction.
import type { Db } from '../db/connect.js';
import { existingParents, getItem, listRevisions } from '../db/state/items-query-repo.js';
import { saveEditedRevision } from '../db/state/items/index.js';
import { registry } from '../fhir/registry.js';
import type { ResourceTypeName } from '../fhir/types.js';
import type { Operator, SaveRevisionResult } from './api.js';
import { lineColumn, locatePath, parseJsonText } from './json-text.js';
import { prettyJson, unifiedDiff } from './line-diff.js';

const fail = (message: string, extra: { path?: string; line?: number; column?: number } = {}): SaveRevisionResult => ({ ok: false, errors: [{ message, ...extra }] });

function placeholderAt(text: string, placeholder: string): { line: number; column: number } | null {
  const offset = text.indexOf(placeholder);
  return offset < 0 ? null : lineColumn(text, offset);
}

/** Bodies larger than this are refused: SATUSEHAT resources are a few kB. */
const MAX_BODY_CHARS = 1_000_000;

export async function saveRevision(state: Db, id: number, bodyText: string, operator: Operator): Promise<SaveRevisionResult> {
  if (!Number.isSafeInteger(id) || id < 1) return fail(`item id must be a positive whole number, got ${id}`);
  if (bodyText.length > MAX_BODY_CHARS) return fail(`the body is ${bodyText.length} characters; the limit is ${MAX_BODY_CHARS}`);
  const item = await getItem(state, id);
  if (!item) return fail(`item ${id} not found`);
  const def = registry[item.type as ResourceTypeName];
  if (!def) return fail(`item ${id} has the unknown type ${item.type}`);
  if (def.kind === 'lookup') {
    return fail(`${item.type} items are NIK lookups (a GET with no body): correct the NIK in Dekacare, then regenerate ${item.type}`);
  }
  if (item.status === 'sending') return fail(`item ${id} is being sent right now: wait a few seconds and save again`);

  const parsed = parseJsonText(bodyText);
  if (!parsed.ok) return fail(`invalid JSON: ${parsed.message}`, { line: parsed.line, column: parsed.column });

  const base = (await listRevisions(state, id)).find((r) => r.revision === item.currentRevision) ?? null;
  const fhirType = def.fhirType ?? def.name;
  // The R4 validator (15 MB of definitions) loads on the first save, not when the CLI starts.
  const { checkEditedBody } = await import('./edit-validation.js');
  const check = checkEditedBody(parsed.value, fhirType, base?.body ?? null);
  const errors = [...check.errors];
  if (check.parents.length > 0) {
    const known = await existingParents(state, check.parents);
    for (const p of check.parents) {
      if (!known.has(`${p.type}\u0000${p.sourceKey}`)) errors.push({ path: `{{${p.type}:${p.sourceKey}}}`, message: `placeholder {{${p.type}:${p.sourceKey}}}: there is no ${p.type} item with source key ${p.sourceKey}` });
    }
  }
  if (errors.length > 0) {
    // Point at the place in the operator's own text (placeholders by their first occurrence).
    const located = errors.map((e) => {
      if (!e.path) return e;
      const at = e.path.startsWith('{{') ? placeholderAt(bodyText, e.path) : locatePath(bodyText, e.path);
      return at ? { ...e, ...at } : e;
    });
    // Top to bottom, as the operator reads the file.
    return { ok: false, errors: located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)) };
  }

  const before = base?.body === null || base?.body === undefined ? '' : prettyJson(base.body);
  const after = prettyJson(parsed.value);
  if (before === after) return fail('no changes: the body is the same as the current revision');

  const saved = await saveEditedRevision(
    state,
    {
      itemId: id, baseRevision: item.currentRevision, method: base?.method ?? 'POST', path: base?.path ?? fhirType,
      body: parsed.value, createdBy: operator.username, parents: check.parents,
    },
    { actor: operator.username, action: 'edit', target: `item:${id}`, details: { type: item.type, sourceKey: item.sourceKey } },
  );
  if (!saved.ok) {
    if (saved.reason === 'not_found') return fail(`item ${id} not found`);
    if (saved.reason === 'sending') return fail(`item ${id} started sending while you edited: wait a few seconds and save again`);
    return fail(`item ${id} changed while you edited (revision ${saved.currentRevision} is now current): reopen it and edit again`);
  }
  const diff = unifiedDiff(before, after, { from: base ? `revision ${base.revision}` : 'no revision', to: `revision ${saved.revision} (edited by ${operator.username})` });
  return { ok: true, revision: saved.revision, diff };
}
