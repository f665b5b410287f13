import { redactUrl } from '../../shared/config/load-config.js';
import { createLogger } from '../../shared/log/create-logger.js';
import { startDaemon } from '../../daemon/daemon.js';
import { openRuntime } from '../../daemon/runtime.js';
import { loadCliConfig } from '../context.js';

/** Runs until SIGTERM/SIGINT; PM2 waits for `ready` (wait_ready) and allows kill_timeout to stop. */
export async function daemonCommand(): Promise<number> {
  const config = loadCliConfig();
  const log = createLogger({ level: config.logLevel, name: 'satusehat-daemon' });
  const rt = await openRuntime(config, log);
  const daemon = startDaemon(rt);
  log.info({ env: config.satusehat.env, fhirUrl: config.satusehat.fhirUrl, state: redactUrl(config.stateDatabaseUrl), cron: config.syncCron, next: daemon.nextRun() }, 'daemon ready');
  process.send?.('ready');
  void daemon.tickNow().catch((err) => log.error({ err }, 'first tick failed'));
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info('shutting down: finishing in-flight sends');
  await daemon.stop();
  await rt.close();
  log.info('stopped');
  return 0;
}
