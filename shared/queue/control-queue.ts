// The control queue carries operator requests for the daemon (regenerate a foundation type).
// The request is recorded first as a sync_runs row (status 'queued'); the job points at it, and
// the daemon sets the run's status, progress and result as it works.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { ResourceTypeName } from '../fhir/types.js';

export const CONTROL_QUEUE = 'control';
export const REGENERATE_JOB = 'regenerate';

export interface RegenerateJobData {
  kind: 'regenerate';
  type: ResourceTypeName;
  /** sync_runs.id of the run to update. */
  runId: number;
  /** Who asked, as audited. */
  operator: string;
}

export type ControlJobData = RegenerateJobData;

/** One job per run: adding it twice is a no-op. Never all digits (BullMQ refuses those). */
export const regenerateJobId = (runId: number) => `regenerate-${runId}`;

export function createControlQueue(connection: ConnectionOptions, prefix: string): Queue<ControlJobData> {
  return new Queue<ControlJobData>(CONTROL_QUEUE, { connection, prefix });
}

export async function enqueueRegenerate(queue: Queue<ControlJobData>, data: RegenerateJobData): Promise<void> {
  await queue.add(REGENERATE_JOB, data, {
    jobId: regenerateJobId(data.runId),
    // The run row is the record; the job only has to reach a daemon once.
    attempts: 1,
    removeOnComplete: 100,
    removeOnFail: 100,
  });
}
