import { issueOperatorToken } from '@settle/auth';
import { billCycleOf } from '@settle/contracts';
import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import {
  GatewayClient,
  Json,
  REPO_ROOT,
  ServiceProcess,
  dropSchemas,
  freePort,
  migrateService,
  testInfrastructure,
  testNamespace,
  testSecrets,
  testServiceEnv,
  waitFor,
} from '@settle/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The partner API's contract suite: the platform as it runs (customer-service, billing-service and
 * the gateway as processes on the real PostgreSQL, Redis and Kafka), driven by the provider's
 * official Java SDK (apps/sdk-contract/src/main/java). This file sets up what the calls need
 * through the operator API, runs the Java suite once, and reports each SDK function as a test.
 */

/** Every SDK function the suite calls; each one is a test below. */
const SDK_FUNCTIONS = [
  'ListServiceTypes',
  'ListMeasureUnits',
  'ListConversions',
  'ListSubCustomers',
  'SendVerificationMessageCode',
  'CreateSubCustomer',
  'ListPartnerBalances',
  'UpdateCustomerAccountAmount',
  'ReclaimToPartnerAccount',
  'ListPartnerAdjustRecords',
  'UpdateIndirectPartnerAccount',
  'ReclaimIndirectPartnerAccount',
  'ListPartnerAccountChangeRecords',
  'ListSubcustomerMonthlyBills',
  'ListSubCustomerBillDetail',
  'ListQuotaCoupons',
  'UpdateCouponQuotas',
  'ListIssuedCouponQuotas',
  'ReclaimCouponQuotas',
  'ListCouponQuotasRecords',
  'CreatePartnerCoupons',
  'ListIssuedPartnerCoupons',
  'ListSubCustomerCoupons',
  'ReclaimPartnerCoupons',
  'ListPartnerCouponsRecord',
  'ListIncentiveDiscountPolicies',
  'error answers (CBC.0100 with a request id)',
] as const;

const MODULE_DIR = join(REPO_ROOT, 'apps', 'sdk-contract');
const WORK_DIR = join(REPO_ROOT, '.local', 'sdk-contract');

const ns = testNamespace();
const secrets = testSecrets();
const schemas = { 'customer-service': `${ns.schemaPrefix}customer`, 'billing-service': `${ns.schemaPrefix}billing`, 'incentive-service': `${ns.schemaPrefix}incentive` };
const processes: ServiceProcess[] = [];
let databaseUrl: string | undefined;
const results = new Map<string, string>();
let suiteOutput = '';
let suiteExit: number | null = null;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: MODULE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Compiles the suite and resolves the SDK's classpath; offline once ~/.m2 holds the SDK. */
async function buildSuite(): Promise<string> {
  const classpathFile = join(WORK_DIR, 'classpath.txt');
  const goals = ['-B', '-q', 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`];
  let built = await run('mvn', ['-o', ...goals], 300_000);
  if (built.code !== 0) built = await run('mvn', goals, 600_000); // first run: fetch the SDK from Maven Central
  if (built.code !== 0) throw new Error(`the SDK contract suite did not build:\n${built.stdout}\n${built.stderr}`);
  return `${join(WORK_DIR, 'target', 'classes')}:${readFileSync(classpathFile, 'utf8').trim()}`;
}

beforeAll(async () => {
  mkdirSync(WORK_DIR, { recursive: true });
  const classpath = buildSuite();
  const infra = await testInfrastructure();
  databaseUrl = infra.databaseUrl;
  const admin = createKafka({ clientId: 'sdk-contract', brokers: infra.kafkaBrokers, logger: createLogger('sdk-contract', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  const env = (service: keyof typeof schemas) => testServiceEnv(infra, ns, secrets, schemas[service]);
  migrateService('customer-service', env('customer-service'));
  migrateService('billing-service', env('billing-service'));
  migrateService('incentive-service', env('incentive-service'));
  const ports = { customer: await freePort(), billing: await freePort(), incentive: await freePort(), gateway: await freePort() };
  const customer = new ServiceProcess('customer-service', ports.customer, env('customer-service'));
  const billing = new ServiceProcess('billing-service', ports.billing, env('billing-service'));
  const incentive = new ServiceProcess('incentive-service', ports.incentive, env('incentive-service'));
  const gateway = new ServiceProcess('gateway', ports.gateway, {
    ...testServiceEnv(infra, ns, secrets),
    CUSTOMER_SERVICE_URL: customer.url,
    BILLING_SERVICE_URL: billing.url,
    INCENTIVE_SERVICE_URL: incentive.url,
    RATE_LIMIT_PER_SECOND: '200',
  });
  processes.push(customer, billing, incentive, gateway);
  await Promise.all([customer.start(), billing.start(), incentive.start()]);
  await gateway.start();

  const token = issueOperatorToken({ subject: 'sdk-contract', roles: ['admin'], ttlSeconds: 900 }, secrets.OPERATOR_TOKEN_SECRET);
  const operator = new GatewayClient(gateway.url).operator(token);
  const ok = async (method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<Json> => {
    const res = await operator(method, path, { body, query });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  // A tier-1 reseller with one tier-2 reseller and one agency-sale customer.
  const partner = await ok('POST', '/operator/partners', { name: 'SDK Contract Partner', kind: 'reseller', tier: 1 });
  const reseller = await ok('POST', '/operator/partners', { name: 'SDK Contract Reseller', kind: 'reseller', tier: 2, parent_partner_id: partner.partner_id });
  const suffix = randomBytes(4).toString('hex');
  const customerId = (await ok('POST', '/operator/customers', { domain_name: `sdk_customer_${suffix}`, name: 'SDK Customer' })).customer_id as string;
  await ok('POST', '/operator/associations', { partner_id: partner.partner_id, customer_id: customerId, association_type: 2 });
  await waitFor(async () => (await operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId } })).status === 200 || undefined, 'billing to learn the customer');
  for (const id of [partner.partner_id, reseller.partner_id]) {
    await waitFor(async () => (await operator('GET', `/operator/billing/partners/${id}`)).status === 200 || undefined, `billing to learn partner ${id}`);
  }

  // An incentive policy for resellers on ec2 (ListIncentiveDiscountPolicies), known to incentive-service's partner projection.
  const incentivePolicy = await ok('POST', '/operator/incentives/policies', {
    code: `SDK-INC-${suffix}`,
    name: 'SDK contract incentive',
    partner_kinds: ['reseller'],
    service_type_codes: ['hws.service.type.ec2'],
    service_type_names: { 'hws.service.type.ec2': 'Elastic Cloud Server' },
    rate: { type: 'flat', rate: '0.05' },
    discount_allowed: true,
    effective_from: '2020-01',
  });

  const recharged = '1000.00';
  await ok('POST', '/operator/billing/accounts/recharge', { partner_id: partner.partner_id, amount: recharged, request_id: `sdk-${suffix}` });
  const quota = await ok('POST', '/operator/billing/coupon-quotas/grant', { partner_id: partner.partner_id, quota_amount: '500.00' });

  const cycle = billCycleOf(new Date());
  const usage = ['128.00', '0.37'].map((official, i) => ({
    record_id: `sdk-${suffix}-${i}`,
    customer_id: customerId,
    service_type_code: 'hws.service.type.ec2',
    resource_type_code: 'hws.resource.type.vm',
    resource_id: `sdk-vm-${i}`,
    region_code: 'cn-north-4',
    usage: '3600',
    usage_measure_id: 4,
    charge_mode: 'on-demand',
    record_type: 'consumption',
    official_amount: official,
    currency: 'CNY',
    occurred_at: new Date().toISOString(),
    bill_cycle: cycle,
  }));
  const ingested = await ok('POST', '/operator/billing/usage-records/batch', { records: usage });
  if (ingested.rated_count !== usage.length) throw new Error(`usage not rated: ${JSON.stringify(ingested)}`);

  const fixture = {
    endpoint: gateway.url,
    partner,
    reseller,
    customer_id: customerId,
    recharged,
    quota_id: quota.quota_id,
    quota_value: quota.quota_value,
    bill_cycle: cycle,
    incentive_policy: incentivePolicy.code,
    service_type_code: 'hws.service.type.ec2',
    usage,
    mobile_phone: '13800000000',
    xaccount_type: 'sdk_contract',
    new_xaccount_id: `sdk-x-${suffix}`,
    new_domain_name: `sdk_created_${suffix}`,
  };
  const fixtureFile = join(WORK_DIR, `fixture-${suffix}.json`);
  writeFileSync(fixtureFile, JSON.stringify(fixture, null, 2));

  const suite = await run('java', ['-cp', await classpath, 'dev.settle.sdkcontract.ContractSuite', fixtureFile], 300_000);
  suiteOutput = suite.stdout;
  suiteExit = suite.code;
  // The suite's own lines (one per SDK function) in the run's output.
  process.stdout.write(`\nOfficial Java SDK (huaweicloud-sdk-bss) against the gateway:\n${suite.stdout}${suite.stderr ? `\n${suite.stderr.slice(-4000)}` : ''}\n`);
  for (const line of suite.stdout.split('\n')) {
    const m = /^(PASS|FAIL) ([^:]+?)(?:: (.*))?$/.exec(line);
    if (m) results.set(m[2], m[1] === 'PASS' ? 'PASS' : `FAIL: ${m[3] ?? ''}`);
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  // The services' logs of this run, for when a call fails.
  for (const p of processes) writeFileSync(join(WORK_DIR, `${p.service}.log`), p.output.join(''));
  if (databaseUrl) await dropSchemas(databaseUrl, Object.values(schemas));
}, 60_000);

describe('the official Java SDK against Settle', () => {
  it.each(SDK_FUNCTIONS)('%s answers as the SDK model reads it', (fn) => {
    expect(results.get(fn) ?? `not run (suite output:\n${suiteOutput.slice(-2000)})`).toBe('PASS');
  });

  it('exits with the number of failed calls and names every call it made', () => {
    const failed = [...results.values()].filter((r) => r !== 'PASS').length;
    expect(suiteExit).toBe(failed);
    expect([...results.keys()].sort()).toEqual([...SDK_FUNCTIONS].sort());
    expect(suiteOutput).toContain(`SUMMARY ${results.size - failed} passed, ${failed} failed`);
  });
});
