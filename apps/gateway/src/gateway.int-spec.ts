import { issueOperatorToken, signPrincipal, signRequest } from '@settle/auth';
import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import {
  GatewayClient,
  Json,
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
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * The gateway as partners reach it, in front of customer-service and billing-service, all three
 * as real processes on the real PostgreSQL, Redis and Kafka: which paths it refuses, what its proof
 * binds, what it keeps off its public port, and what a repeated signature gets.
 */
const ns = testNamespace();
const secrets = testSecrets();
const schemas = { customer: `${ns.schemaPrefix}customer`, billing: `${ns.schemaPrefix}billing` };
const MAX_BODY_BYTES = 65_536;
let customer: ServiceProcess;
let billing: ServiceProcess;
let gateway: ServiceProcess;
let metricsPort: number;
let databaseUrl: string;
let operator: ReturnType<GatewayClient['operator']>;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}

/** HTTP exactly as written: no URL parsing on the client side, so `..`, `%2e` and `\` reach the gateway as sent. */
function raw(baseUrl: string, method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawAnswer> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname: base.hostname, port: base.port, method, path: target, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text && String(res.headers['content-type']).includes('json') ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Partner {
  partner_id: string;
  access_key: string;
  secret_key: string;
}

/** One signed request (fixed X-Sdk-Date), so the very same signature can be sent as often as a test likes. */
function signed(partner: Partner, method: string, target: string, body?: unknown, at = new Date()) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', host: new URL(gateway.url).host };
  const signature = signRequest({ method, url: target, headers, body: payload }, { accessKey: partner.access_key, secretKey: partner.secret_key }, at);
  const all = { ...headers, ...signature };
  return {
    send: (bodyOverride?: unknown) => raw(gateway.url, method, target, all, bodyOverride === undefined ? payload || undefined : JSON.stringify(bodyOverride)),
  };
}

async function createPartner(): Promise<Partner> {
  const res = await operator('POST', '/operator/partners', { body: { name: `GW ${randomUUID().slice(0, 8)}`, kind: 'reseller' } });
  expect(res.status).toBe(201);
  return res.body;
}

async function partnerWithCustomer(cash: string): Promise<{ partner: Partner; customerId: string }> {
  const partner = await createPartner();
  expect((await operator('POST', '/operator/billing/accounts/recharge', { body: { partner_id: partner.partner_id, amount: cash, request_id: `r-${randomUUID()}` } })).status).toBe(200);
  const registered = await operator('POST', '/operator/customers', { body: { domain_name: `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}` } });
  expect(registered.status).toBe(201);
  const customerId = registered.body.customer_id as string;
  expect((await operator('POST', '/operator/associations', { body: { partner_id: partner.partner_id, customer_id: customerId, association_type: 2 } })).status).toBe(201);
  await waitFor(async () => {
    const res = await operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at: new Date().toISOString() } });
    return res.status === 200 && res.body.partner_id === partner.partner_id;
  }, `billing to know ${customerId} belongs to ${partner.partner_id}`);
  return { partner, customerId };
}

async function cash(partner: Partner): Promise<string> {
  const res = await operator('GET', '/operator/billing/accounts', { query: { partner_id: partner.partner_id } });
  return (res.body.account_balances as { account_type: string; amount: string }[]).find((a) => a.account_type === 'cash')?.amount ?? '0.00';
}

beforeAll(async () => {
  const infra = await testInfrastructure();
  databaseUrl = infra.databaseUrl;
  const admin = createKafka({ clientId: 'gateway-test', brokers: infra.kafkaBrokers, logger: createLogger('gateway-test', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  migrateService('customer-service', testServiceEnv(infra, ns, secrets, schemas.customer));
  migrateService('billing-service', testServiceEnv(infra, ns, secrets, schemas.billing));
  const ports = { customer: await freePort(), billing: await freePort(), gateway: await freePort(), metrics: await freePort() };
  metricsPort = ports.metrics;
  customer = new ServiceProcess('customer-service', ports.customer, testServiceEnv(infra, ns, secrets, schemas.customer));
  billing = new ServiceProcess('billing-service', ports.billing, testServiceEnv(infra, ns, secrets, schemas.billing));
  await Promise.all([customer.start(), billing.start()]);
  gateway = await new ServiceProcess('gateway', ports.gateway, {
    ...testServiceEnv(infra, ns, secrets),
    CUSTOMER_SERVICE_URL: customer.url,
    BILLING_SERVICE_URL: billing.url,
    RATE_LIMIT_PER_SECOND: '1000',
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    METRICS_PORT: String(metricsPort),
  }).start();
  operator = new GatewayClient(gateway.url).operator(issueOperatorToken({ subject: 'gateway-test', roles: ['admin'], ttlSeconds: 3600 }, secrets.OPERATOR_TOKEN_SECRET));
}, 180_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), customer?.stop(), billing?.stop()]);
  if (databaseUrl) await dropSchemas(databaseUrl, Object.values(schemas));
}, 60_000);

describe('paths the gateway refuses', () => {
  it.each([
    '/v2/bills/../../internal/credentials/AK',
    '/v2/bills/%2e%2e/%2E%2E/internal/credentials/AK',
    '/v2/bills/.%2e/.%2e/internal/credentials/AK',
    '/v2/bills/./partner-bills',
    '/v2/bills/x%2f..%2f..%2finternal',
    '/v2/bills/x%5c..',
    '/v2/bills\\..\\..\\internal\\credentials\\AK',
    '/health/../internal/credentials/AK',
  ])('answers %s with 400 CBC.0100 before anything is routed', async (target) => {
    const res = await raw(gateway.url, 'GET', target);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'CBC.0100', error_msg: expect.stringMatching(/^Bad request path: /) });
  });

  it.each(['/internal/credentials/AK', '/internal/anything', '/metrics', '/v2/nothing-here', '/v2/billsX/a', '/'])('answers %s with 404 CBC.0101', async (target) => {
    const res = await raw(gateway.url, 'GET', target);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error_code: 'CBC.0101', error_msg: expect.stringContaining('No such resource') });
  });

  it('serves its own metrics only on the metrics listener, never on the public port', async () => {
    const scraped = await raw(`http://127.0.0.1:${metricsPort}`, 'GET', '/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.body).toMatch(/settle_http_request_duration_seconds_count\{[^}]*service="gateway"/);
    expect((await raw(`http://127.0.0.1:${metricsPort}`, 'GET', '/v2/bills')).status).toBe(404);
    expect((await raw(gateway.url, 'GET', '/metrics')).status).toBe(404);
  });
});

describe('request size and request ids', () => {
  it('answers a body over MAX_BODY_BYTES with 413 CBC.0100, naming the limit', async () => {
    const partner = await createPartner();
    const big = { offset: 0, limit: 10, padding: 'x'.repeat(MAX_BODY_BYTES) };
    const res = await signed(partner, 'POST', '/v2/partners/sub-customers/query', big).send();
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error_code: 'CBC.0100', error_msg: `The request body is larger than the limit of ${MAX_BODY_BYTES} bytes.` });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('carries a malformed JSON body, signed as sent, to the service, which answers 400 CBC.0100 (not 500)', async () => {
    const partner = await createPartner();
    const target = '/v2/partners/sub-customers/query';
    const headers: Record<string, string> = { 'content-type': 'application/json', host: new URL(gateway.url).host };
    const broken = '{"offset": 0,';
    const signature = signRequest({ method: 'POST', url: target, headers, body: broken }, { accessKey: partner.access_key, secretKey: partner.secret_key });
    const res = await raw(gateway.url, 'POST', target, { ...headers, ...signature }, broken);
    expect(res).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: 'Request body is not valid JSON.' } });
  });

  it('answers X-Request-Id, equal to x-correlation-id, on forwarded answers, errors and its own health', async () => {
    const partner = await createPartner();
    const ok = await signed(partner, 'POST', '/v2/partners/sub-customers/query', { offset: 0, limit: 1 }).send();
    expect(ok.status).toBe(200);
    const answers = [ok, await raw(gateway.url, 'GET', '/v2/nothing-here'), await raw(gateway.url, 'POST', '/v2/partners/sub-customers/query', { 'content-type': 'application/json' }, '{}'), await raw(gateway.url, 'GET', '/health/live')];
    for (const answer of answers) {
      expect(answer.headers['x-request-id']).toMatch(/\S/);
      expect(answer.headers['x-request-id']).toBe(answer.headers['x-correlation-id']);
    }
    const chosen = await raw(gateway.url, 'GET', '/v2/nothing-here', { 'x-correlation-id': 'sdk-call-42' });
    expect([chosen.headers['x-request-id'], chosen.headers['x-correlation-id']]).toEqual(['sdk-call-42', 'sdk-call-42']);
  });
});

describe("the gateway's proof, as a service's guard checks it", () => {
  const target = '/v2/partners/sub-customers/query';
  const proofFor = (partner: Partner, query: string, body: string) =>
    signPrincipal({ kind: 'partner', partnerId: partner.partner_id, accessKey: partner.access_key, role: 'admin', requestId: 'proof-test' }, { method: 'POST', path: target, query, body: Buffer.from(body) }, secrets.INTERNAL_AUTH_SECRET);

  it('is accepted for exactly the request it was made for', async () => {
    const partner = await createPartner();
    const body = JSON.stringify({ offset: 0, limit: 5 });
    const res = await raw(customer.url, 'POST', `${target}?lang=en`, { 'content-type': 'application/json', ...proofFor(partner, 'lang=en', body) }, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 0 });
  });

  it('is refused (403 CBC.0151) when the body or the query was altered after the gateway signed', async () => {
    const partner = await createPartner();
    const body = JSON.stringify({ offset: 0, limit: 5 });
    const proof = proofFor(partner, 'lang=en', body);
    const tampered = [
      await raw(customer.url, 'POST', `${target}?lang=en`, { 'content-type': 'application/json', ...proof }, JSON.stringify({ offset: 0, limit: 500 })),
      await raw(customer.url, 'POST', `${target}?lang=en`, { 'content-type': 'text/plain', ...proof }, 'not json at all'),
      await raw(customer.url, 'POST', `${target}?lang=fr`, { 'content-type': 'application/json', ...proof }, body),
      await raw(customer.url, 'POST', target, { 'content-type': 'application/json', ...proof }, body),
    ];
    for (const res of tampered) expect(res).toMatchObject({ status: 403, body: { error_code: 'CBC.0151', error_msg: 'Invalid gateway proof.' } });
  });
});

describe('a repeated signature', () => {
  it('on a read is simply answered again', async () => {
    const partner = await createPartner();
    const balances = signed(partner, 'GET', '/v2/accounts/partner-accounts/balances');
    const first = await balances.send();
    const second = await balances.send();
    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 200, body: first.body });
    expect(second.headers['x-settle-replayed']).toBeUndefined();
  });

  it('on a mutation applies once and answers the repeat with the first answer; another body under it is refused', async () => {
    const { partner, customerId } = await partnerWithCustomer('100.00');
    const fund = signed(partner, 'POST', '/v2/accounts/partner-accounts/adjust-amount', { customer_id: customerId, amount: '10.00' });
    const first = await fund.send();
    expect(first).toMatchObject({ status: 200, body: { customer_id: customerId, amount: '10.00', currency: 'CNY', transfer_id: expect.any(String) } });
    expect(first.headers['x-settle-replayed']).toBeUndefined();

    const again = await fund.send();
    expect(again).toMatchObject({ status: 200, body: first.body, headers: { 'x-settle-replayed': 'true', 'content-type': first.headers['content-type'] } });
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(await cash(partner)).toBe('90.00');

    const altered = await fund.send({ customer_id: customerId, amount: '50.00' });
    expect(altered).toMatchObject({ status: 401, body: { error_code: 'CBC.0150' } });
    expect(await cash(partner)).toBe('90.00');
    const records = await signed(partner, 'GET', '/v3/accounts/partner-accounts/adjust-records', undefined).send();
    expect(records.body.total_count).toBe(1);
  });

  it('on a refused mutation replays the refusal, and a new signature of the same call is a new request', async () => {
    const { partner, customerId } = await partnerWithCustomer('5.00');
    const over = signed(partner, 'POST', '/v2/accounts/partner-accounts/adjust-amount', { customer_id: customerId, amount: '6.00' });
    const refused = await over.send();
    expect(refused).toMatchObject({ status: 400, body: { error_code: 'CBC.99005003' } });
    expect(await over.send()).toMatchObject({ status: 400, body: refused.body, headers: { 'x-settle-replayed': 'true' } });

    const at = new Date(Date.now() - 2_000);
    const fund = await signed(partner, 'POST', '/v2/accounts/partner-accounts/adjust-amount', { customer_id: customerId, amount: '1.00' }, at).send();
    const fundLater = await signed(partner, 'POST', '/v2/accounts/partner-accounts/adjust-amount', { customer_id: customerId, amount: '1.00' }, new Date(at.getTime() + 1_000)).send();
    expect([fund.status, fundLater.status]).toEqual([200, 200]);
    expect(fundLater.body.transfer_id).not.toBe(fund.body.transfer_id);
    expect(await cash(partner)).toBe('3.00');
  });

  it('sent 8 times at once applies once, every copy getting the same answer', async () => {
    const { partner, customerId } = await partnerWithCustomer('100.00');
    const fund = signed(partner, 'POST', '/v2/accounts/partner-accounts/adjust-amount', { customer_id: customerId, amount: '12.34' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => fund.send()));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body.transfer_id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['x-settle-replayed'] === 'true')).toHaveLength(7);
    expect(await cash(partner)).toBe('87.66');
  });
});
