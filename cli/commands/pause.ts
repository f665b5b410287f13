// `pause` / `resume`: stop and restart sending for every daemon (control_state 'paused').
// Extraction and the queue keep their state; nothing is lost while paused.
import type { ControlState } from '../../shared/services/api.js';
import { cliOperator, printJson, withServices } from './common.js';
import { shortTime } from './format.js';

function describe(c: ControlState): string {
  if (!c.paused) return 'sending is running';
  return `sending is PAUSED by ${c.pausedBy ?? '?'} since ${shortTime(c.pausedAt)}${c.pausedReason ? `: ${c.pausedReason}` : ''}`;
}

export async function pauseCommand(options: { reason?: string; json?: boolean }): Promise<number> {
  return withServices(async (services) => {
    const control = await services.pause(cliOperator(), options.reason);
    if (options.json) printJson(control);
    else process.stdout.write(`${describe(control)}\nresume with: satusehat resume\n`);
    return 0;
  });
}

export async function resumeCommand(options: { json?: boolean }): Promise<number> {
  return withServices(async (services) => {
    const control = await services.resume(cliOperator());
    if (options.json) printJson(control);
    else process.stdout.write(`${describe(control)}\n`);
    return 0;
  });
}
