import { createInterface } from 'node:readline/promises';
import { CliError } from '../api-client';

/**
 * Asks before a destructive or bulk action. `--yes` answers for scripts; without a terminal and
 * without `--yes` the action is refused (exit 2), never taken silently.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new CliError(`${question} Refused: no terminal to ask; pass --yes to confirm.`, 2);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new CliError('Not confirmed; nothing was changed.', 2);
  } finally {
    rl.close();
  }
}
