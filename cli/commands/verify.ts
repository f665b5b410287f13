// `satusehat verify`: what SATUSEHAT holds against what we marked sent. Exit 0 when all agree,
// 3 when anything disagrees or could not be checked, 4 when SATUSEHAT could not be asked at all.
import { openRuntime } from '../../daemon/runtime.js';
import { runVerify, VERIFIABLE_TYPES, type VerifyReport } from '../../daemon/verify/verify.js';
import { ExitError, EXIT } from '../../shared/errors.js';
import { cliLogger, loadCliConfig } from '../context.js';
import { red, yellow } from '../output.js';
import { cliOperator, say } from './common.js';

export interface VerifyCommandOptions {
  type?: string;
  since?: string;
  sample?: number;
  rateShare?: number;
  repair?: boolean;
  json?: boolean;
}

export async function verifyCommand(options: VerifyCommandOptions): Promise<number> {
  if (options.type && !(VERIFIABLE_TYPES as readonly string[]).includes(options.type)) {
    throw new ExitError(EXIT.usage, `${options.type} is looked up, not created: nothing of ours to verify. Choose from ${VERIFIABLE_TYPES.join(', ')}`);
  }
  const config = loadCliConfig();
  const rt = await openRuntime(config, cliLogger(config));
  try {
    const by = cliOperator().username;
    let lastShown = 0;
    const report = await runVerify(
      { state: rt.state, client: rt.client, log: rt.log, rateLimitPerMinute: config.rateLimitPerMinute, enqueue: (jobs) => rt.enqueue(jobs) },
      {
        types: options.type ? [options.type] : undefined, since: options.since ?? null, sample: options.sample ?? null, rateShare: options.rateShare, repair: options.repair, by,
        onProgress: (n) => {
          if (options.json || !process.stderr.isTTY || Date.now() - lastShown < 1000) return;
          lastShown = Date.now();
          process.stderr.write(`\rverified ${n}…`);
        },
      },
    );
    if (lastShown > 0) process.stderr.write('\r\x1b[K');
    if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else printReport(report, Boolean(options.repair));
    return exitCodeOf(report);
  } finally {
    await rt.close();
  }
}

export function exitCodeOf(r: VerifyReport): number {
  if (r.checked === 0 && r.unchecked > 0) return EXIT.satusehatUnavailable;
  return r.disagreements.length > 0 || r.unchecked > 0 ? EXIT.itemsFailed : EXIT.ok;
}

function printReport(r: VerifyReport, repaired: boolean): void {
  for (const d of r.disagreements) {
    process.stdout.write(`${red(d.kind.padEnd(10))} ${d.type} ${d.sourceKey} (item ${d.itemId}, ${d.status}): ${d.detail}\n`);
  }
  for (const x of r.repairs) process.stdout.write(`${x.action === 'manual' ? yellow('manual    ') : 'repaired  '} item ${x.itemId} (${x.kind}): ${x.detail}\n`);
  for (const e of r.errors) say(`not checked: ${e}`);
  const parts = [`${r.checked} checked${r.sample ? ` (a random sample of ${r.sample})` : ''}`, `${r.agree} agree`, `${r.missing} missing`, `${r.changed} changed`, `${r.duplicated} duplicated`, `${r.unknown} unknown`];
  if (r.unchecked > 0) parts.push(`${r.unchecked} not checked (SATUSEHAT errors)`);
  if (repaired) parts.push(`${r.repaired} repaired (queued; the daemon sends them)`);
  process.stdout.write(`verify: ${parts.join(', ')}\n`);
  if (!repaired && r.disagreements.length > 0) process.stdout.write('run `satusehat verify --repair` to adopt what can be adopted and send changed resources again as updates\n');
}
