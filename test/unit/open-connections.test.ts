// Closing a connection set: newest first, every step even after one fails. No service is opened
// here (nothing is asked for), so these run without MariaDB or Redis.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config/load-config.js';
import type { Logger } from '../../shared/log/create-logger.js';
import { createConnectionSet } from '../../shared/runtime/open-connections.js';

function recordingLog() {
  const warnings: Array<{ fields: unknown; msg: string }> = [];
  const log = { warn: (fields: unknown, msg: string) => warnings.push({ fields, msg }) } as unknown as Logger;
  return { log, warnings };
}

describe('createConnectionSet', () => {
  it('closes what was added newest first, runs every step when one fails, and logs the failure', async () => {
    const { log, warnings } = recordingLog();
    const set = createConnectionSet(loadConfig({}), log);
    const order: string[] = [];
    set.onClose(async () => order.push('state'));
    set.onClose(async () => {
      order.push('redis');
      throw new Error('quit failed');
    });
    set.onClose(async () => order.push('queue'));
    await set.close();
    expect(order).toEqual(['queue', 'redis', 'state']);
    expect(warnings).toEqual([{ fields: { err: expect.objectContaining({ message: 'quit failed' }) }, msg: 'error while closing' }]);
  });

  it('closes each step once: a second close has nothing left to do', async () => {
    const set = createConnectionSet(loadConfig({}), null);
    let closed = 0;
    set.onClose(async () => (closed += 1));
    await set.close();
    await set.close();
    expect(closed).toBe(1);
  });
});
