// A harness synced once, with the application services open on it: for tests of what the
// operator surfaces (compliance, worklists) say about a synced clinic.
import { syncOnce } from '../../daemon/sync-once.js';
import type { Runtime } from '../../daemon/runtime.js';
import { openServices } from '../../shared/services/index.js';
import type { Services } from '../../shared/services/api.js';
import { createHarness, type Harness, type HarnessOptions } from './pipeline-harness.js';

export interface SyncedServices {
  h: Harness;
  rt: Runtime;
  services: Services;
  close(): Promise<void>;
}

export async function syncedServices(options: HarnessOptions): Promise<SyncedServices> {
  const h = await createHarness(options);
  const rt = await h.openRuntime();
  await syncOnce(rt, { pollMs: 100 });
  const services = await openServices(h.config);
  return {
    h, rt, services,
    async close() {
      await services.close();
      await h.close();
    },
  };
}
