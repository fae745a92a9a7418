import { Command } from 'commander';
import { CliError, OperatorApi } from '../api-client';
import { print } from '../output';

interface SealedCount {
  table: string;
  key_id: string;
  count: number;
}

interface KeysView {
  active_key_id: string;
  key_ids: string[];
  sealed: SealedCount[];
}

interface ResealResult {
  active_key_id: string;
  resealed: number;
  unreadable: Array<{ table: string; id: string; reason: string }>;
  sealed: SealedCount[];
}

const common = (command: Command) => command.option('--url <url>', 'gateway base URL (default SETTLE_URL or http://127.0.0.1:8080)').option('--json', 'print JSON');

const sealedLines = (sealed: SealedCount[]) => (sealed.length ? sealed.map((s) => `  ${s.table.padEnd(16)}${s.key_id.padEnd(20)}${s.count}`) : ['  (nothing sealed)']);

/** Secrets still under a key other than the active one. */
const elsewhere = (r: { active_key_id: string; sealed: SealedCount[] }) => r.sealed.filter((s) => s.key_id !== r.active_key_id);

/**
 * Sealing-key rotation, without downtime:
 *   1. give every customer-service instance both keys, the old one still active
 *      (CREDENTIALS_ENCRYPTION_KEYS=old:…,new:…  CREDENTIALS_ENCRYPTION_ACTIVE_KEY=old), restart them one by one;
 *   2. make the new key active (CREDENTIALS_ENCRYPTION_ACTIVE_KEY=new), restart them one by one;
 *   3. `npx settle secrets reseal` until `secrets keys` shows nothing under the old key;
 *   4. remove the old key from the configuration.
 * Every instance can open both keys' secrets throughout, so no request fails on the way.
 */
export function secretsCommand(): Command {
  const secrets = new Command('secrets').description('Keys that seal secrets at rest, and re-sealing under the active key');

  common(secrets.command('keys').description('The configured sealing keys, the active one, and how many secrets each key sealed')).action(
    async (options: { url?: string; json?: boolean }) => {
      const view = await OperatorApi.fromSettings(options.url).request<KeysView>('GET', '/operator/secrets/keys');
      print(view, options.json, () => [`active_key_id  ${view.active_key_id}`, `key_ids        ${view.key_ids.join(', ')}`, 'sealed', ...sealedLines(view.sealed)]);
    },
  );

  common(
    secrets
      .command('reseal')
      .description('Re-seal every secret under the active key (safe to repeat; the service keeps answering)')
      .option('--batch-size <n>', 'secrets per transaction (1-1000, default 200)'),
  ).action(async (options: { url?: string; json?: boolean; batchSize?: string }) => {
    const batchSize = options.batchSize === undefined ? undefined : Number(options.batchSize);
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)) throw new CliError('--batch-size must be an integer from 1 to 1000.');
    const result = await OperatorApi.fromSettings(options.url).request<ResealResult>('POST', '/operator/secrets/reseal', batchSize === undefined ? {} : { batch_size: batchSize });
    print(result, options.json, () => [
      `active_key_id  ${result.active_key_id}`,
      `resealed       ${result.resealed}`,
      ...(result.unreadable.length ? [`unreadable     ${result.unreadable.length} (no configured key opens them: ${result.unreadable.map((u) => `${u.table} ${u.id}: ${u.reason}`).join('; ')})`] : []),
      'sealed',
      ...sealedLines(result.sealed),
    ]);
    // Not done while anything is left under another key: the old key must stay configured.
    if (result.unreadable.length || elsewhere(result).length) {
      process.stderr.write(`settle: ${elsewhere(result).reduce((n, s) => n + s.count, 0)} secret(s) are still sealed under another key; keep that key configured and run again.\n`);
      process.exitCode = 2;
    }
  });
  return secrets;
}
