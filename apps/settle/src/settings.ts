import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, where `npm run up` leaves `.local/settle.env`. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * Settings come from the environment; on a developer machine `.local/settle.env` (written by
 * `npm run up`) fills what the environment does not set.
 */
export function settings(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = join(REPO_ROOT, '.local', 'settle.env');
  const fromFile: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match) fromFile[match[1]] = match[2].replace(/^'(.*)'$/, '$1');
    }
  }
  return { ...fromFile, ...env };
}
