// /__sim/*: control plane for tests, benchmarks and the demo running in other processes.
// No auth, so it answers loopback clients only. Not counted in stats, never subject to faults.
import { json, type Reply } from './reply.js';
import type { SimState } from './state.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function handleAdmin(state: SimState, method: string, path: string, body: string, remoteAddress: string | undefined): Reply {
  if (!remoteAddress || !LOOPBACK.has(remoteAddress)) return json(403, { error: 'the /__sim admin API answers loopback clients only' });
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__sim/health':
      return json(200, { status: 'ok', orgId: state.config.orgId });
    case 'GET /__sim/stats':
      return json(200, state.stats());
    case 'GET /__sim/faults':
      return json(200, state.faults);
    case 'POST /__sim/faults':
      try {
        return json(200, state.setFaults(body.trim() === '' ? {} : JSON.parse(body)));
      } catch (err) {
        return json(400, { error: (err as Error).message });
      }
    case 'POST /__sim/expire-tokens':
      state.tokens.expireAll();
      return json(200, { ok: true });
    case 'POST /__sim/reset':
      state.reset();
      return json(200, { ok: true });
    default:
      return json(404, { error: `unknown admin route ${route}` });
  }
}
