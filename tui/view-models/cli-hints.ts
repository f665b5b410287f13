// "Show me the command": every TUI view and action has a headless CLI equivalent, printed in the
// status line so an operator can script what they just did. Pure.
import type { ItemStatus } from '../../shared/types/items.js';

/** Quotes a shell argument only when it needs it. */
export function shellArg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function statusCommand(date: string | null): string {
  return `satusehat status${date ? ` --date ${date}` : ''}`;
}

export interface ListFilter {
  type: string;
  status: ItemStatus | 'problem' | null;
  date: string | null;
  search: string;
  page?: number;
}

function filterArgs(f: ListFilter): string {
  let cmd = ` --type ${shellArg(f.type)}`;
  if (f.status) cmd += ` --status ${f.status}`;
  if (f.date) cmd += ` --date ${f.date}`;
  if (f.search.trim()) cmd += ` --search ${shellArg(f.search.trim())}`;
  return cmd;
}

export function itemsListCommand(f: ListFilter): string {
  return `satusehat items list${filterArgs(f)}${f.page && f.page > 1 ? ` --page ${f.page}` : ''}`;
}

export function itemsShowCommand(id: number): string {
  return `satusehat items show ${id}`;
}

export function editCommand(id: number): string {
  return `satusehat edit ${id} --no-send`;
}

export function resendCommand(ids: number[]): string {
  return `satusehat resend ${ids.join(' ')}`;
}

/** Resend everything failed that matches the list filter (the status filter is forced to failed). */
export function resendMatchingCommand(f: ListFilter): string {
  return `satusehat resend${filterArgs({ ...f, status: f.status ?? 'failed' })} --yes`;
}

export function regenerateCommand(type: string): string {
  return `satusehat regenerate ${shellArg(type)}`;
}
