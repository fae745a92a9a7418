import { Command, Option } from 'commander';
import { OperatorApi } from '../api-client';
import { print } from '../output';

export function partnerCommand(): Command {
  const partner = new Command('partner').description('Partners and their keys');
  partner
    .command('create')
    .description('Create a partner and issue its AK/SK (the secret key is shown only now)')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--kind <kind>', 'partner kind').choices(['reseller', 'distributor', 'solution-provider']).makeOptionMandatory())
    .option('--url <url>', 'gateway base URL (default SETTLE_URL or http://127.0.0.1:8080)')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; kind: string; url?: string; json?: boolean }) => {
      const api = OperatorApi.fromSettings(options.url);
      const created = await api.request<{ partner_id: string; access_key: string; secret_key: string }>('POST', '/operator/partners', {
        name: options.name,
        kind: options.kind,
      });
      print(created, options.json, () => [
        `partner_id  ${created.partner_id}`,
        `access_key  ${created.access_key}`,
        `secret_key  ${created.secret_key}   (shown once: store it now)`,
      ]);
    });
  return partner;
}
