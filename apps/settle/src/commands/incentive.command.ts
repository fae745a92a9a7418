import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError, OperatorApi } from '../api-client';
import { print } from '../output';

interface TermOptions {
  file?: string;
  name?: string;
  kinds?: string;
  levels?: string;
  serviceTypes?: string;
  rate?: string;
  tiers?: string;
  bonusRate?: string;
  cap?: string;
  currency?: string;
  discountAllowed?: boolean;
  associationTypes?: string;
  effectiveFrom?: string;
  effectiveTo?: string;
  url?: string;
  json?: boolean;
}

/** What the CLI reads of the operator API's policy and run answers. */
interface PolicyAnswer {
  policy_id: string;
  code: string;
  current?: { version?: number; effective_from?: string; effective_to?: string | null; rate?: unknown } & Record<string, unknown>;
}
type RunAnswer = Record<string, unknown> & { run_id: string; status: string };

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));

/** "100000:0.02,500000:0.04,:0.06" → tiers (an empty bound is the open last tier). */
export function parseTiers(spec: string): { up_to: string | null; rate: string }[] {
  return spec.split(',').map((part) => {
    const [upTo, rate] = part.split(':').map((x) => x.trim());
    if (!rate) throw new CliError(`--tiers: "${part}" is not up_to:rate (e.g. 100000:0.02, or :0.06 for the open last tier)`);
    return { up_to: upTo === '' ? null : upTo, rate };
  });
}

/** The policy terms from a JSON file and/or the options (options win); the service validates them. */
export function termsOf(o: TermOptions): Record<string, unknown> {
  const base = o.file ? (JSON.parse(readFileSync(o.file, 'utf8')) as Record<string, unknown>) : {};
  if (o.rate && o.tiers) throw new CliError('give either --rate (flat) or --tiers (progressive), not both');
  const terms: Record<string, unknown> = {
    ...base,
    ...(o.name ? { name: o.name } : {}),
    ...(o.kinds ? { partner_kinds: list(o.kinds) } : {}),
    ...(o.levels ? { partner_levels: list(o.levels) } : {}),
    ...(o.serviceTypes ? { service_type_codes: list(o.serviceTypes) } : {}),
    ...(o.associationTypes ? { association_types: list(o.associationTypes)?.map(Number) } : {}),
    ...(o.rate ? { rate: { type: 'flat', rate: o.rate } } : {}),
    ...(o.tiers ? { rate: { type: 'tiered', tiers: parseTiers(o.tiers) } } : {}),
    ...(o.bonusRate ? { new_customer_bonus_rate: o.bonusRate } : {}),
    ...(o.cap ? { cap: o.cap } : {}),
    ...(o.currency ? { currency: o.currency } : {}),
    ...(o.discountAllowed ? { discount_allowed: true } : {}),
    ...(o.effectiveFrom ? { effective_from: o.effectiveFrom } : {}),
    ...(o.effectiveTo ? { effective_to: o.effectiveTo } : {}),
  };
  return terms;
}

function withTerms(c: Command): Command {
  return c
    .option('--file <policy.json>', 'the terms as JSON (the operator API body); options override its fields')
    .option('--name <name>', 'policy name')
    .option('--kinds <kinds>', 'partner kinds, comma-separated (reseller,distributor,solution-provider)')
    .option('--levels <levels>', 'partner levels, comma-separated (default: every level)')
    .option('--service-types <codes>', 'service type codes, comma-separated')
    .option('--association-types <types>', 'basis: association modes, comma-separated (1 consultant-sale, 2 agency-sale; default 1)')
    .option('--rate <fraction>', 'flat rate, e.g. 0.05')
    .option('--tiers <spec>', 'progressive tiers up_to:rate,…, e.g. 100000:0.02,500000:0.04,:0.06')
    .option('--bonus-rate <fraction>', 'new-customer bonus rate')
    .option('--cap <amount>', 'most paid per partner and period')
    .option('--currency <code>', 'currency (default CNY)')
    .option('--discount-allowed', 'partner discounts are allowed on these service types')
    .option('--effective-from <YYYY-MM>', 'first settlement period of this version')
    .option('--effective-to <YYYY-MM>', 'first period no longer governed')
    .option('--url <url>', 'gateway base URL')
    .option('--json', 'print JSON');
}

const policyLines = (p: PolicyAnswer) => {
  const c = p.current ?? {};
  return [`policy_id         ${p.policy_id}`, `code              ${p.code}`, `version           ${c.version}`, `effective         ${c.effective_from} → ${c.effective_to ?? 'open'}`, `rate              ${JSON.stringify(c.rate)}`];
};

/** `settle incentive policy create|change|retire|list` and `settle incentive run`. */
export function incentiveCommand(): Command {
  const incentive = new Command('incentive').description('Incentive policies and notice runs');
  const policy = new Command('policy').description('Versioned incentive policies');
  withTerms(policy.command('create').description('Create a policy (version 1)').requiredOption('--code <code>', 'policy code (the public API’s incentive_policy)')).action(
    async (o: TermOptions & { code: string }) => {
      const created = await OperatorApi.fromSettings(o.url).request<PolicyAnswer>('POST', '/operator/incentives/policies', { code: o.code, ...termsOf(o) });
      print(created, o.json, () => policyLines(created));
    },
  );
  withTerms(policy.command('change').description('Change a policy: a new version from --effective-from (later than the current one)').requiredOption('--policy <policy_id>', 'policy id')).action(
    async (o: TermOptions & { policy: string }) => {
      const api = OperatorApi.fromSettings(o.url);
      const current = await api.request<PolicyAnswer>('GET', `/operator/incentives/policies/${encodeURIComponent(o.policy)}`);
      const { version: _v, ...currentTerms } = current.current ?? {};
      const changed = await api.request<PolicyAnswer>('POST', `/operator/incentives/policies/${encodeURIComponent(o.policy)}/versions`, { ...currentTerms, effective_to: null, ...termsOf(o) });
      print(changed, o.json, () => policyLines(changed));
    },
  );
  policy
    .command('retire')
    .description('Retire a policy: it no longer governs periods from --effective-to on')
    .requiredOption('--policy <policy_id>', 'policy id')
    .requiredOption('--effective-to <YYYY-MM>', 'first period no longer governed')
    .option('--url <url>', 'gateway base URL')
    .option('--json', 'print JSON')
    .action(async (o: { policy: string; effectiveTo: string; url?: string; json?: boolean }) => {
      const retired = await OperatorApi.fromSettings(o.url).request<PolicyAnswer>('POST', `/operator/incentives/policies/${encodeURIComponent(o.policy)}/retire`, { effective_to: o.effectiveTo });
      print(retired, o.json, () => policyLines(retired));
    });
  policy
    .command('list')
    .description('List policies with their current version')
    .option('--url <url>', 'gateway base URL')
    .option('--json', 'print JSON')
    .action(async (o: { url?: string; json?: boolean }) => {
      const res = await OperatorApi.fromSettings(o.url).request<{ total_count: number; policies: PolicyAnswer[] }>('GET', '/operator/incentives/policies?limit=100');
      print(res, o.json, () => res.policies.map((p) => `${p.policy_id}  ${String(p.code).padEnd(24)} v${p.current?.version}  ${p.current?.effective_from} → ${p.current?.effective_to ?? 'open'}`));
    });
  incentive.addCommand(policy);
  incentive
    .command('run')
    .description('Run a settlement period: one notice job per partner (re-running never issues a second notice)')
    .requiredOption('--period <YYYY-MM>', 'settlement period')
    .option('--wait', 'wait until the run completed and print its progress')
    .option('--url <url>', 'gateway base URL')
    .option('--json', 'print JSON')
    .action(async (o: { period: string; wait?: boolean; url?: string; json?: boolean }) => {
      const api = OperatorApi.fromSettings(o.url);
      const started = await api.request<RunAnswer>('POST', '/operator/incentives/notice-runs', { period: o.period });
      let run = started;
      const deadline = Date.now() + 120_000;
      while (o.wait && run.status === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500)); // polling an operator's command, not a test barrier
        run = await api.request<RunAnswer>('GET', `/operator/incentives/notice-runs/${run.run_id}`);
      }
      print(run, o.json, () => Object.entries(run).map(([k, v]) => `${k.padEnd(18)}${String(v)}`));
    });
  return incentive;
}
