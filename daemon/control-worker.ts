// Operator requests for the daemon, from the control queue. Regenerate rebuilds one foundation
// type from master data: a full extraction of that type (changed rows get new revisions) and a
// new try for its failed items (a NIK lookup may succeed now). The sync_runs row shows progress.
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { countSourceRows, rowCountOf } from '../shared/db/source/index.js';
import { requeueFailedOfType } from '../shared/db/state/items/index.js';
import { startQueuedRun, updateRunProgress } from '../shared/db/state/daemon-orders-repo.js';
import { finishRun } from '../shared/db/state/runs-repo.js';
import { CONTROL_QUEUE, type ControlJobData } from '../shared/queue/control-queue.js';
import { registry } from '../shared/fhir/registry.js';
import type { ResourceTypeName } from '../shared/fhir/types.js';
import { extractionDefaults, runExtraction } from './extract/run-extraction.js';
import type { Runtime } from './runtime.js';

export async function regenerate(rt: Runtime, runId: number, type: ResourceTypeName, signal?: AbortSignal): Promise<void> {
  if (!(await startQueuedRun(rt.state, runId, hostname()))) return;
  try {
    // Progress of a foundation type is counted against its master-data table.
    const total = registry[type].foundation ? rowCountOf(await countSourceRows(rt.source), type) : null;
    await updateRunProgress(rt.state, runId, 0, total);
    const summary = await runExtraction({
      ...extractionDefaults(rt),
      types: [type],
      signal,
      onBatch: (_t, counts) => void updateRunProgress(rt.state, runId, counts.read, total).catch(() => undefined),
    });
    const retried = await requeueFailedOfType(rt.state, type);
    await rt.enqueue(retried);
    await finishRun(rt.state, runId, 'ok', { ...summary, retriedFailed: retried.length });
    rt.log.info({ runId, type, retried: retried.length }, 'regenerate finished');
  } catch (err) {
    await finishRun(rt.state, runId, 'failed', {}, (err as Error).message).catch(() => undefined);
    throw err;
  }
}

export function startControlWorker(rt: Runtime, shutdownSignal: () => AbortSignal): Worker<ControlJobData> {
  const worker = new Worker<ControlJobData>(
    CONTROL_QUEUE,
    async (job) => {
      if (job.data.kind === 'regenerate') await regenerate(rt, job.data.runId, job.data.type, shutdownSignal());
    },
    { connection: rt.redis, prefix: rt.config.queuePrefix, concurrency: 1 },
  );
  worker.on('error', (err) => rt.log.error({ err }, 'control worker error'));
  return worker;
}
