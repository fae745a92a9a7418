import { issueOperatorToken } from '@settle/auth';
import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import {
  GatewayClient,
  NotificationInbox,
  PartnerCredentials,
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

/**
 * What the services write to their logs, at the most verbose level, while a partner does what
 * partners do with personal data and secrets: keys issued, a verification code sent and used, a
 * customer created with a mobile number, another registered with a mobile number and an email,
 * both funded, plus the mistakes callers make with the same data. No secret key, verification
 * code, mobile number or email of the run may appear in any line, whatever the field.
 */
const ns = testNamespace();
const secrets = testSecrets();
const schemas = { 'customer-service': `${ns.schemaPrefix}customer`, 'billing-service': `${ns.schemaPrefix}billing` };
const processes: ServiceProcess[] = [];
let infra: Awaited<ReturnType<typeof testInfrastructure>>;
let inbox: NotificationInbox;
let client: GatewayClient;

beforeAll(async () => {
  infra = await testInfrastructure();
  inbox = await new NotificationInbox().start();
  const admin = createKafka({ clientId: 'e2e-logs', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  const env = (service: keyof typeof schemas) => ({ ...testServiceEnv(infra, ns, secrets, schemas[service]), LOG_LEVEL: 'trace' });
  migrateService('customer-service', env('customer-service'));
  migrateService('billing-service', env('billing-service'));
  const ports = { customer: await freePort(), billing: await freePort(), gateway: await freePort() };
  const customer = new ServiceProcess('customer-service', ports.customer, { ...env('customer-service'), NOTIFICATION_CHANNEL: 'webhook', NOTIFICATION_WEBHOOK_URL: inbox.url });
  const billing = new ServiceProcess('billing-service', ports.billing, env('billing-service'));
  await Promise.all([customer.start(), billing.start()]);
  const gateway = await new ServiceProcess('gateway', ports.gateway, {
    ...testServiceEnv(infra, ns, secrets),
    LOG_LEVEL: 'trace',
    CUSTOMER_SERVICE_URL: customer.url,
    BILLING_SERVICE_URL: billing.url,
    RATE_LIMIT_PER_SECOND: '1000',
  }).start();
  processes.push(customer, billing, gateway);
  client = new GatewayClient(gateway.url);
}, 180_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await inbox?.stop();
  if (infra) await dropSchemas(infra.databaseUrl, Object.values(schemas));
}, 60_000);

let numbers = 0;
const newMobile = () => `137${String(Date.now() % 1e8).padStart(8, '0').slice(0, 6)}${String(++numbers).padStart(2, '0')}`;

/** Where `value` occurs as itself (not inside a longer run of digits or word characters). */
function occurs(line: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`).test(line);
}

describe('the services’ logs', () => {
  it('never carry a secret key, verification code, mobile number or email of the run', async () => {
    const operator = client.operator(issueOperatorToken({ subject: 'log-capture', roles: ['admin'], ttlSeconds: 600 }, secrets.OPERATOR_TOKEN_SECRET));
    const ok = async (res: Promise<{ status: number; body: unknown }>, status: number) => {
      const answer = await res;
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
      return answer.body as Record<string, string>;
    };
    const secretValues: string[] = [];

    // A partner, a member with a mobile number and an email, a key bound to that member.
    const partner = await ok(operator('POST', '/operator/partners', { body: { name: 'Log Partner', kind: 'reseller' } }), 201);
    const memberMobile = newMobile();
    const memberEmail = `member.${ns.redisPrefix}@example.com`;
    const member = await ok(operator('POST', `/operator/partners/${partner.partner_id}/members`, { body: { name: 'Sam', role: 'salesperson', mobile: memberMobile, email: memberEmail } }), 201);
    const memberKey = await ok(operator('POST', `/operator/partners/${partner.partner_id}/access-keys`, { body: { member_id: member.member_id } }), 201);
    secretValues.push(partner.secret_key, memberKey.secret_key, memberMobile, memberEmail);
    const admin = client.partner(partner as unknown as PartnerCredentials);

    // A verification code, a wrong attempt, then a customer created with the right one.
    const mobile = newMobile();
    await ok(admin('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: mobile, timeout: 5, lang: 'en-us' } }), 204);
    const code = await inbox.latestCode(mobile);
    const wrong = code === '000000' ? '000001' : '000000';
    secretValues.push(mobile, code);
    await ok(admin('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'log-x0', xaccount_type: 'T', mobile_phone: mobile, verification_code: wrong } }), 400);
    const created = await ok(admin('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'log-x1', xaccount_type: 'T', mobile_phone: mobile, verification_code: code } }), 200);
    // The same code again, and a malformed number: refusals that carry the data back.
    await ok(admin('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'log-x2', xaccount_type: 'T', mobile_phone: mobile, verification_code: code } }), 400);
    await ok(admin('POST', '/v2/bases/verificationcode/send', { body: { receiver_type: 1, mobile_phone: `${mobile}9` } }), 400);
    secretValues.push(`${mobile}9`);

    // A customer registered with a mobile number and an email, associated with the partner.
    const otherMobile = newMobile();
    const email = `customer.${ns.redisPrefix}@example.com`;
    secretValues.push(otherMobile, email, `+86${otherMobile}`);
    const registered = await ok(operator('POST', '/operator/customers', { body: { domain_name: `log_${ns.redisPrefix.replace(/-/g, '_')}`, name: 'Li Lei', mobile_phone: `+86${otherMobile}`, email } }), 201);
    await ok(operator('POST', '/operator/customers', { body: { domain_name: 'log_bad_email', email: `not-an-email ${email}` } }), 400);
    await ok(operator('POST', '/operator/associations', { body: { partner_id: partner.partner_id, customer_id: registered.customer_id, association_type: 2 } }), 201);
    // Revealing a field returns it to the caller, but must not write it to a log.
    await ok(admin('POST', `/v2/partners/sub-customers/${registered.customer_id}/reveal`, { body: { field: 'email' } }), 200);

    // Both funded, once billing knows they belong to the partner.
    await ok(operator('POST', '/operator/billing/accounts/recharge', { body: { partner_id: partner.partner_id, amount: '100.00', request_id: `logs-${ns.redisPrefix}` } }), 200);
    for (const customerId of [created.domain_id, registered.customer_id]) {
      await waitFor(async () => (await operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId } })).status === 200, `billing to know ${customerId}`);
      await ok(admin('POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: customerId, amount: '10.00' } }), 200);
    }
    // A signature made with a secret key that is not the partner's: the gateway refuses and logs why.
    await ok(client.partner({ access_key: partner.access_key, secret_key: `${partner.secret_key}x` })('GET', '/v2/partners/members/me'), 401);
    secretValues.push(`${partner.secret_key}x`);

    // Everything the run caused is logged once the services stop (a stopped process has flushed its output).
    await Promise.all(processes.map((p) => p.stop()));
    const lines = processes.flatMap((p) => p.output.join('').split('\n').map((line) => ({ service: p.service, line })));
    expect(lines.filter((l) => l.line.includes('"msg"')).length).toBeGreaterThan(100);
    // The scan finds what the logs do hold: the schema customer-service announces at start-up, the refusals of the run.
    expect(lines.some((l) => occurs(l.line, schemas['customer-service']))).toBe(true);
    expect(lines.some((l) => l.line.includes('verification_code: the code is wrong.'))).toBe(true);
    const leaks = lines.flatMap(({ service, line }) => secretValues.filter((v) => occurs(line, v)).map((v) => `${service}: ${line.replace(v, `<<${v}>>`).slice(0, 400)}`));
    expect(leaks).toEqual([]);
  });
});
