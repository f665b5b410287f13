import { createLogger } from '../../shared/log/create-logger.js';
import { runDaemonProcess } from '../../daemon/daemon-process.js';
import { loadCliConfig } from '../context.js';

/** Runs until SIGTERM/SIGINT; PM2 waits for `ready` (wait_ready) and allows kill_timeout to stop. */
export async function daemonCommand(): Promise<number> {
  const config = loadCliConfig();
  const log = createLogger({ level: config.logLevel, name: 'satusehat-daemon' });
  const stop = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await runDaemonProcess(config, log, stop);
  return 0;
}
