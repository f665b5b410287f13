// Command-line entry: `npx tsx simulator/main.ts --port 9090 ...`. Prints exactly one line on start
// (other processes wait for it) and nothing per request.
import { CliError, parseSimulatorArgs, usage } from './cli-args.js';
import { startSimulator } from './server.js';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseSimulatorArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`simulator: ${err.message}\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }

  let sim;
  try {
    sim = await startSimulator(parsed.options);
  } catch (err) {
    process.stderr.write(`simulator: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`SATUSEHAT simulator listening on ${sim.url} (org ${sim.orgId})\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
