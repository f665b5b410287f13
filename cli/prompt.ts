// Questions to the operator. Only on a terminal: without one the CLI never prompts (cron, pipes),
// and callers ask for --yes instead.
import { createInterface } from 'node:readline/promises';

/** Both ends are a terminal: someone can read the question and answer it. */
export const canPrompt = () => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/** Asks on stderr (stdout stays for results); empty answer = the default. */
export async function confirm(question: string, defaultYes = false): Promise<boolean> {
  if (!canPrompt()) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} ${defaultYes ? '[Y/n]' : '[y/N]'} `)).trim().toLowerCase();
    if (answer === '') return defaultYes;
    return answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}
