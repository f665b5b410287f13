// Live progress for long runs: a redrawn table on a terminal, one line every few seconds otherwise
// (cron mails and log files stay readable).
import type { TypeStatus } from '../shared/services/status-service.js';
import { totals } from '../shared/services/status-service.js';
import { statusTable } from './output.js';

export interface ProgressPrinter {
  update(phase: string, rows: TypeStatus[]): void;
  finish(): void;
}

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressPrinter {
  let drawnLines = 0;
  let lastLine = 0;
  const started = Date.now();
  const live = Boolean(stream.isTTY);
  return {
    update(phase, rows) {
      if (quiet) return;
      const t = totals(rows);
      const elapsed = ((Date.now() - started) / 1000).toFixed(0);
      const line = `[${elapsed}s] ${phase}: sent ${t.sent}/${t.total}, in process ${t.inProcess}, blocked ${t.blocked}, failed ${t.failed}, invalid ${t.invalid}`;
      if (live) {
        const text = `${statusTable(rows)}\n${line}\n`;
        if (drawnLines > 0) stream.write(`\u001b[${drawnLines}A\u001b[0J`);
        stream.write(text);
        drawnLines = text.split('\n').length - 1;
      } else if (Date.now() - lastLine >= 5_000 || phase === 'done') {
        stream.write(line + '\n');
        lastLine = Date.now();
      }
    },
    finish() {
      drawnLines = 0;
    },
  };
}
