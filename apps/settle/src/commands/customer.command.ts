import { Command, Option } from 'commander';
import { OperatorApi } from '../api-client';
import { print } from '../output';

export function customerCommand(): Command {
  const customer = new Command('customer').description('Customer accounts and associations');
  customer
    .command('register')
    .description('Register a customer account (what the account system of record does)')
    .requiredOption('--domain-name <name>', 'account name: 5-32 letters, digits, "_" or "-"')
    .option('--customer <customer_id>', 'customer id (default: generated)')
    .option('--name <name>', 'real-name verified name')
    .option('--mobile <number>', 'mobile number')
    .option('--email <email>', 'email')
    .option('--url <url>', 'gateway base URL')
    .option('--json', 'print JSON')
    .action(async (options: { domainName: string; customer?: string; name?: string; mobile?: string; email?: string; url?: string; json?: boolean }) => {
      const api = OperatorApi.fromSettings(options.url);
      const created = await api.request<Record<string, unknown>>('POST', '/operator/customers', {
        domain_name: options.domainName,
        ...(options.customer ? { customer_id: options.customer } : {}),
        ...(options.name ? { name: options.name } : {}),
        ...(options.mobile ? { mobile_phone: options.mobile } : {}),
        ...(options.email ? { email: options.email } : {}),
      });
      print(created, options.json, () => Object.entries(created).map(([k, v]) => `${k.padEnd(18)}${typeof v === 'object' ? JSON.stringify(v) : String(v)}`));
    });
  customer
    .command('associate')
    .description("Associate a customer with a partner (emits settle.customer.associated)")
    .requiredOption('--partner <partner_id>', 'partner id')
    .requiredOption('--customer <customer_id>', 'customer id')
    .addOption(new Option('--mode <mode>', 'association mode').choices(['agency', 'consultant']).default('agency'))
    .option('--url <url>', 'gateway base URL')
    .option('--json', 'print JSON')
    .action(async (options: { partner: string; customer: string; mode: 'agency' | 'consultant'; url?: string; json?: boolean }) => {
      const api = OperatorApi.fromSettings(options.url);
      const created = await api.request<Record<string, unknown>>('POST', '/operator/associations', {
        partner_id: options.partner,
        customer_id: options.customer,
        association_type: options.mode === 'agency' ? 2 : 1,
      });
      print(created, options.json, () => Object.entries(created).map(([k, v]) => `${k.padEnd(18)}${String(v)}`));
    });
  customer
    .command('owner')
    .description("Ask billing which partner owned a customer at an instant (billing's projection)")
    .requiredOption('--customer <customer_id>', 'customer id')
    .option('--at <iso-time>', 'instant (default now)')
    .option('--url <url>', 'gateway base URL')
    .option('--json', 'print JSON')
    .action(async (options: { customer: string; at?: string; url?: string; json?: boolean }) => {
      const api = OperatorApi.fromSettings(options.url);
      const query = new URLSearchParams({ customer_id: options.customer, ...(options.at ? { at: options.at } : {}) });
      const owner = await api.request<Record<string, unknown>>('GET', `/operator/billing/customer-ownership?${query}`);
      print(owner, options.json, () => Object.entries(owner).map(([k, v]) => `${k.padEnd(18)}${String(v)}`));
    });
  return customer;
}
