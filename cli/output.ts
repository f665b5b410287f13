// Terminal output for the CLI: colour only on a TTY and never with NO_COLOR.
import type { TypeStatus } from '../shared/services/status-service.js';

export const useColor = (stream: NodeJS.WriteStream = process.stdout) => Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';

const paint = (code: string) => (text: string) => (useColor() ? `\u001b[${code}m${text}\u001b[0m` : text);
export const green = paint('32');
export const red = paint('31');
export const yellow = paint('33');
export const bold = paint('1');
export const dim = paint('2');

export function bar(percent: number, width: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  const text = '█'.repeat(filled) + '░'.repeat(width - filled);
  return percent >= 100 ? green(text) : percent > 0 ? yellow(text) : red(text);
}

const pad = (value: string | number, width: number) => String(value).padStart(width);

export function statusTable(rows: TypeStatus[]): string {
  const header = `${'TYPE'.padEnd(18)} ${'PROGRESS'.padEnd(22)} ${pad('SENT/TOTAL', 13)} ${pad('IN PROC', 7)} ${pad('BLOCKED', 7)} ${pad('FAILED', 6)} ${pad('INVALID', 7)} ${pad('CHECKING', 8)}  LAST SUCCESS`;
  const lines = rows.map((r) => {
    const ratio = `${r.sent}/${r.total}`;
    const failed = r.failed > 0 ? red(pad(r.failed, 6)) : pad(r.failed, 6);
    const invalid = r.invalid > 0 ? red(pad(r.invalid, 7)) : pad(r.invalid, 7);
    return `${r.type.padEnd(18)} ${bar(r.percent, 15)} ${pad(r.percent, 4)}% ${pad(ratio, 13)} ${pad(r.inProcess, 7)} ${pad(r.blocked, 7)} ${failed} ${invalid} ${r.checking > 0 ? yellow(pad(r.checking, 8)) : pad(r.checking, 8)}  ${r.lastSuccessAt ? r.lastSuccessAt.replace('T', ' ').slice(0, 19) + 'Z' : '-'}`;
  });
  return [bold(header), ...lines].join('\n');
}
