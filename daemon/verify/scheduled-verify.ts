// The daemon's own verification: every VERIFY_INTERVAL_HOURS, one daemon (a Redis lock) checks a
// random sample of VERIFY_SAMPLE items against SATUSEHAT at a tenth of the rate limit. Its summary
// is the last verification that `status`, the TUI and the verify_disagreement alert read.
import { hostname } from 'node:os';
import { disagreementsOf, readVerification } from '../../shared/db/state/verify-repo.js';
import { acquireLock } from '../../shared/queue/run-lock.js';
import type { Runtime } from '../runtime.js';
import { runVerify, type VerifyReport } from './verify.js';

const CHECK_EVERY_MS = 10 * 60_000;
const LOCK_TTL_MS = 30 * 60_000;
/** Beside the daemon's own sends: a tenth of the rate limit. */
const RATE_SHARE = 0.1;

/** Runs the sample when the last verification is older than the interval; null when not due or another daemon runs it. */
export async function verifyIfDue(rt: Runtime, now = new Date(), signal?: AbortSignal): Promise<VerifyReport | null> {
  const { sample, intervalHours } = rt.config.verify;
  if (sample === 0) return null;
  const last = await readVerification(rt.state);
  if (last && now.getTime() - Date.parse(last.at) < intervalHours * 3_600_000) return null;
  const lock = await acquireLock(rt.redis, `${rt.config.queuePrefix}:lock:verify`, LOCK_TTL_MS, `${hostname()}:${process.pid}`);
  if (!lock) return null;
  try {
    const report = await runVerify(
      { state: rt.state, client: rt.client, log: rt.log, rateLimitPerMinute: rt.config.rateLimitPerMinute, enqueue: (jobs) => rt.enqueue(jobs) },
      { sample, rateShare: RATE_SHARE, by: 'daemon', signal },
    );
    const disagreements = disagreementsOf(report);
    const log = rt.log.child({ module: 'verify' });
    if (disagreements > 0) log.warn({ ...report, disagreements: report.disagreements.slice(0, 20) }, 'verification: SATUSEHAT and the state DB disagree (run `satusehat verify --repair`)');
    else log.info({ checked: report.checked, unchecked: report.unchecked }, 'verification: all agree');
    return report;
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** Checks every 10 minutes whether a verification is due; stop() ends one in progress after its current item. */
export function startScheduledVerify(rt: Runtime): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const stopping = new AbortController();
  const check = () => {
    running ??= verifyIfDue(rt, new Date(), stopping.signal)
      .catch((err: unknown) => rt.log.warn({ err }, 'scheduled verification failed; it is tried again in 10 minutes'))
      .finally(() => (running = null));
  };
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  // The first check soon after the start, not at once: the daemon's own catch-up pass goes first.
  const first = setTimeout(check, 60_000);
  first.unref();
  return {
    async stop() {
      clearInterval(timer);
      clearTimeout(first);
      stopping.abort();
      await running;
    },
  };
}
