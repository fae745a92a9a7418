import { Command, Option } from 'commander';
import { CliError, OperatorApi } from '../api-client';
import { print } from '../output';

interface Common {
  url?: string;
  json?: boolean;
}

interface PartnerView {
  partner_id: string;
  name: string;
  kind: string;
  tier: number | null;
  parent_partner_id: string | null;
  level: string;
  taxpayer_type: string;
  certification_status: string;
  created_at: string;
}

interface MemberView {
  member_id: string;
  name: string;
  role: string;
  mobile: string | null;
  email: string | null;
  permissions: string[];
}

interface KeyView {
  access_key: string;
  member_id: string | null;
  role: string;
  status: string;
  created_at: string;
  revoked_at: string | null;
  replaced_by: string | null;
}

interface IssuedKey {
  partner_id: string;
  access_key: string;
  secret_key: string;
  member_id: string | null;
  role: string;
  replaced_access_key?: string;
}

const LEVELS = ['registered', 'certified', 'preferred', 'leading'];
const TAXPAYER_TYPES = ['general', 'small-scale'];
const CERTIFICATION = ['uncertified', 'pending', 'certified', 'rejected'];

const id = (value: string) => encodeURIComponent(value);
const common = (command: Command) => command.option('--url <url>', 'gateway base URL (default SETTLE_URL or http://127.0.0.1:8080)').option('--json', 'print JSON');

function tierOf(value: string): 1 | 2 {
  if (value !== '1' && value !== '2') throw new CliError('--tier must be 1 or 2.');
  return value === '1' ? 1 : 2;
}

function partnerLines(p: PartnerView): string[] {
  return [
    `partner_id            ${p.partner_id}`,
    `name                  ${p.name}`,
    `kind                  ${p.kind}${p.tier ? ` (tier ${p.tier})` : ''}`,
    ...(p.parent_partner_id ? [`parent_partner_id     ${p.parent_partner_id}`] : []),
    `level                 ${p.level}`,
    `taxpayer_type         ${p.taxpayer_type}`,
    `certification_status  ${p.certification_status}`,
    `created_at            ${p.created_at}`,
  ];
}

function issuedLines(k: IssuedKey): string[] {
  return [
    `partner_id  ${k.partner_id}`,
    `member_id   ${k.member_id ?? '(none: acts as admin)'}`,
    `role        ${k.role}`,
    `access_key  ${k.access_key}`,
    `secret_key  ${k.secret_key}   (shown once: store it now)`,
    ...(k.replaced_access_key ? [`revoked     ${k.replaced_access_key}`] : []),
  ];
}

function keyLine(k: KeyView): string {
  return `${k.access_key}  ${k.status.padEnd(8)}${k.role.padEnd(12)}${(k.member_id ?? '-').padEnd(34)}${k.created_at}${k.revoked_at ? `  revoked ${k.revoked_at}` : ''}`;
}

export function partnerCommand(): Command {
  const partner = new Command('partner').description('Partners, their members and their keys');

  common(
    partner
      .command('create')
      .description('Create a partner and issue its AK/SK (the secret key is shown only now)')
      .requiredOption('--name <name>', 'display name')
      .addOption(new Option('--kind <kind>', 'partner kind').choices(['reseller', 'distributor', 'solution-provider']).makeOptionMandatory())
      .option('--tier <tier>', 'reseller tier: 1, or 2 for an indirect reseller (needs --parent)')
      .option('--parent <partner_id>', "a tier-2 reseller's parent: a tier-1 reseller or a distributor")
      .addOption(new Option('--level <level>', 'partner level').choices(LEVELS))
      .addOption(new Option('--taxpayer-type <type>', 'taxpayer type').choices(TAXPAYER_TYPES))
      .addOption(new Option('--certification <status>', 'business certification status').choices(CERTIFICATION)),
  ).action(async (options: Common & { name: string; kind: string; tier?: string; parent?: string; level?: string; taxpayerType?: string; certification?: string }) => {
    const api = OperatorApi.fromSettings(options.url);
    const created = await api.request<{ partner_id: string; access_key: string; secret_key: string }>('POST', '/operator/partners', {
      name: options.name,
      kind: options.kind,
      ...(options.tier !== undefined ? { tier: tierOf(options.tier) } : {}),
      ...(options.parent !== undefined ? { parent_partner_id: options.parent } : {}),
      ...(options.level !== undefined ? { level: options.level } : {}),
      ...(options.taxpayerType !== undefined ? { taxpayer_type: options.taxpayerType } : {}),
      ...(options.certification !== undefined ? { certification_status: options.certification } : {}),
    });
    print(created, options.json, () => [
      `partner_id  ${created.partner_id}`,
      `access_key  ${created.access_key}`,
      `secret_key  ${created.secret_key}   (shown once: store it now)`,
    ]);
  });

  common(partner.command('show').description("A partner's profile").requiredOption('--partner <partner_id>', 'partner id')).action(
    async (options: Common & { partner: string }) => {
      const shown = await OperatorApi.fromSettings(options.url).request<PartnerView>('GET', `/operator/partners/${id(options.partner)}`);
      print(shown, options.json, () => partnerLines(shown));
    },
  );

  common(
    partner
      .command('update')
      .description("Change a partner's level, taxpayer type or certification status")
      .requiredOption('--partner <partner_id>', 'partner id')
      .addOption(new Option('--level <level>', 'partner level').choices(LEVELS))
      .addOption(new Option('--taxpayer-type <type>', 'taxpayer type').choices(TAXPAYER_TYPES))
      .addOption(new Option('--certification <status>', 'business certification status').choices(CERTIFICATION)),
  ).action(async (options: Common & { partner: string; level?: string; taxpayerType?: string; certification?: string }) => {
    const updated = await OperatorApi.fromSettings(options.url).request<PartnerView>('PATCH', `/operator/partners/${id(options.partner)}`, {
      ...(options.level !== undefined ? { level: options.level } : {}),
      ...(options.taxpayerType !== undefined ? { taxpayer_type: options.taxpayerType } : {}),
      ...(options.certification !== undefined ? { certification_status: options.certification } : {}),
    });
    print(updated, options.json, () => partnerLines(updated));
  });

  const members = partner.command('members').description("A partner's members (staff with a role)");
  common(
    members
      .command('add')
      .description('Add a member')
      .requiredOption('--partner <partner_id>', 'partner id')
      .requiredOption('--name <name>', 'member name')
      .addOption(new Option('--role <role>', 'member role').choices(['admin', 'salesperson', 'finance']).makeOptionMandatory())
      .option('--mobile <number>', 'mobile number')
      .option('--email <email>', 'email'),
  ).action(async (options: Common & { partner: string; name: string; role: string; mobile?: string; email?: string }) => {
    const added = await OperatorApi.fromSettings(options.url).request<MemberView>('POST', `/operator/partners/${id(options.partner)}/members`, {
      name: options.name,
      role: options.role,
      ...(options.mobile !== undefined ? { mobile: options.mobile } : {}),
      ...(options.email !== undefined ? { email: options.email } : {}),
    });
    print(added, options.json, () => [`member_id    ${added.member_id}`, `role         ${added.role}`, `permissions  ${added.permissions.join(', ')}`]);
  });
  common(members.command('list').description("List a partner's members").requiredOption('--partner <partner_id>', 'partner id')).action(
    async (options: Common & { partner: string }) => {
      const listed = await OperatorApi.fromSettings(options.url).request<{ total_count: number; members: MemberView[] }>('GET', `/operator/partners/${id(options.partner)}/members`);
      print(listed, options.json, () => (listed.members.length ? listed.members.map((m) => `${m.member_id}  ${m.role.padEnd(12)}${m.name}`) : ['(no members)']));
    },
  );

  common(partner.command('balances').description("A partner's account balances in billing (cash, credit, reward, deposit, allocatable)").requiredOption('--partner <partner_id>', 'partner id')).action(
    async (options: Common & { partner: string }) => {
      const view = await OperatorApi.fromSettings(options.url).request<{ partner_id: string; account_balances: Array<{ account_type: string; amount: string; currency: string }> }>(
        'GET',
        `/operator/billing/accounts?partner_id=${encodeURIComponent(options.partner)}`,
      );
      print(view, options.json, () => [`partner_id  ${view.partner_id}`, ...view.account_balances.map((b) => `  ${b.account_type.padEnd(12)}${b.amount.padStart(16)} ${b.currency}`)]);
    },
  );

  const keys = partner.command('keys').description("A partner's AK/SK pairs");
  common(
    keys
      .command('issue')
      .description('Issue a key (the secret key is shown only now)')
      .requiredOption('--partner <partner_id>', 'partner id')
      .option('--member <member_id>', "act as this member with the member's role (default: the partner's admin)"),
  ).action(async (options: Common & { partner: string; member?: string }) => {
    const issued = await OperatorApi.fromSettings(options.url).request<IssuedKey>(
      'POST',
      `/operator/partners/${id(options.partner)}/access-keys`,
      options.member ? { member_id: options.member } : {},
    );
    print(issued, options.json, () => issuedLines(issued));
  });
  common(keys.command('list').description("List a partner's keys (never their secrets)").requiredOption('--partner <partner_id>', 'partner id')).action(
    async (options: Common & { partner: string }) => {
      const listed = await OperatorApi.fromSettings(options.url).request<{ total_count: number; access_keys: KeyView[] }>('GET', `/operator/partners/${id(options.partner)}/access-keys`);
      print(listed, options.json, () => (listed.access_keys.length ? listed.access_keys.map(keyLine) : ['(no keys)']));
    },
  );
  common(
    keys
      .command('rotate')
      .description('Issue a new pair for the same member and revoke this one')
      .requiredOption('--partner <partner_id>', 'partner id')
      .requiredOption('--ak <access_key>', 'the key to rotate'),
  ).action(async (options: Common & { partner: string; ak: string }) => {
    const issued = await OperatorApi.fromSettings(options.url).request<IssuedKey>('POST', `/operator/partners/${id(options.partner)}/access-keys/${id(options.ak)}/rotate`, {});
    print(issued, options.json, () => issuedLines(issued));
  });
  common(
    keys
      .command('revoke')
      .description('Revoke a key (gateways stop accepting it within CREDENTIAL_CACHE_MS)')
      .requiredOption('--partner <partner_id>', 'partner id')
      .requiredOption('--ak <access_key>', 'the key to revoke'),
  ).action(async (options: Common & { partner: string; ak: string }) => {
    const revoked = await OperatorApi.fromSettings(options.url).request<KeyView>('POST', `/operator/partners/${id(options.partner)}/access-keys/${id(options.ak)}/revoke`, {});
    print(revoked, options.json, () => [keyLine(revoked)]);
  });

  return partner;
}
