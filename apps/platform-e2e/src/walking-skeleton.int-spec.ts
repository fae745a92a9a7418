import { issueOperatorToken, signRequest } from '@settle/auth';
import { provisionTopics, createKafka } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { ServiceProcess, dropSchemas, freePort, migrateService, testInfrastructure, testNamespace, testSecrets, testServiceEnv, waitFor } from '@settle/testing';

/**
 * The platform as it runs: customer-service, billing-service and the gateway as separate
 * processes on real PostgreSQL, Redis and Kafka, driven only through HTTP.
 */
const ns = testNamespace();
const secrets = testSecrets();
const schemas = { 'customer-service': `${ns.schemaPrefix}customer`, 'billing-service': `${ns.schemaPrefix}billing` };
let customer: ServiceProcess;
let billing: ServiceProcess;
let gateway: ServiceProcess;
let databaseUrl: string;
let operatorToken: string;

async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Customers exist before they are associated: the account system registers them. */
async function registerCustomer(customerId: string) {
  const res = await call('POST', '/operator/customers', { token: operatorToken, body: { customer_id: customerId, domain_name: `acct_${customerId.replace(/[^a-z0-9]/gi, '_')}` } });
  expect(res.status).toBe(201);
}

async function signedCall(method: string, path: string, credentials: { access_key: string; secret_key: string }, body?: unknown) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', host: new URL(gateway.url).host };
  const signed = signRequest({ method, url: path, headers, body: payload }, { accessKey: credentials.access_key, secretKey: credentials.secret_key });
  const res = await fetch(`${gateway.url}${path}`, { method, headers: { ...headers, ...signed }, body: payload || undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  const infra = await testInfrastructure();
  databaseUrl = infra.databaseUrl;
  const admin = createKafka({ clientId: 'e2e', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  // Info level: the test follows a correlation id through the services' logs.
  const env = (service: keyof typeof schemas) => ({ ...testServiceEnv(infra, ns, secrets, schemas[service]), LOG_LEVEL: 'info' });
  migrateService('customer-service', env('customer-service'));
  migrateService('billing-service', env('billing-service'));
  const ports = { customer: await freePort(), billing: await freePort(), gateway: await freePort() };
  customer = new ServiceProcess('customer-service', ports.customer, env('customer-service'));
  billing = new ServiceProcess('billing-service', ports.billing, env('billing-service'));
  gateway = new ServiceProcess('gateway', ports.gateway, {
    ...testServiceEnv(infra, ns, secrets),
    CUSTOMER_SERVICE_URL: `http://127.0.0.1:${ports.customer}`,
    BILLING_SERVICE_URL: `http://127.0.0.1:${ports.billing}`,
    RATE_LIMIT_PER_SECOND: '20',
  });
  await Promise.all([customer.start(), billing.start()]);
  await gateway.start();
  operatorToken = issueOperatorToken({ subject: 'e2e-operator', roles: ['admin'], ttlSeconds: 600 }, secrets.OPERATOR_TOKEN_SECRET);
}, 180_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), customer?.stop(), billing?.stop()]);
  if (databaseUrl) await dropSchemas(databaseUrl, Object.values(schemas));
}, 60_000);

describe('the walking skeleton', () => {
  it('reports every service ready only with PostgreSQL, Redis and Kafka answering', async () => {
    const ready = await fetch(`${billing.url}/health/ready`).then((r) => r.json());
    expect(ready).toEqual({ status: 'ok', checks: { redis: 'up', postgres: 'up', kafka: 'up' } });
    const live = await fetch(`${gateway.url}/health/live`).then((r) => r.json());
    expect(live).toEqual({ status: 'ok' });
  });

  it('creates a partner through the operator API and carries its association to billing through Kafka', async () => {
    const created = await call('POST', '/operator/partners', { token: operatorToken, body: { name: 'E2E Partner', kind: 'reseller' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ partner_id: expect.stringMatching(/^[0-9a-f]{32}$/), access_key: expect.stringMatching(/^[A-Z0-9]{20}$/), secret_key: expect.any(String) });

    await registerCustomer('e2e-customer-1');
    const association = await call('POST', '/operator/associations', {
      token: operatorToken,
      body: { partner_id: created.body.partner_id, customer_id: 'e2e-customer-1', association_type: 2 },
      headers: { 'x-correlation-id': 'e2e-correlation-1' },
    });
    expect(association.status).toBe(201);

    const owner = await waitFor(async () => {
      const res = await call('GET', '/operator/billing/customer-ownership?customer_id=e2e-customer-1', { token: operatorToken });
      return res.status === 200 ? res.body : undefined;
    }, 'billing-service to learn the association');
    expect(owner).toMatchObject({ customer_id: 'e2e-customer-1', partner_id: created.body.partner_id, association_type: 2, effective_to: null });

    // The correlation id of the request follows it into the event and the consumer's logs.
    await waitFor(() => billing.logLines().some((l) => l.correlation_id === 'e2e-correlation-1') || undefined, 'billing logs with the correlation id', { timeoutMs: 5_000 });

    const partnerView = await signedCall('POST', '/v2/partners/sub-customers/query', created.body, { offset: 0, limit: 10 });
    expect(partnerView).toEqual({
      status: 200,
      body: { count: 1, customer_infos: [expect.objectContaining({ customer_id: 'e2e-customer-1', association_type: '2', associated_on: expect.any(String) })] },
    });
  });

  it('answers bad input with 400 CBC.0100 naming the field, and a duplicate association with 409', async () => {
    const bad = await call('POST', '/operator/partners', { token: operatorToken, body: { name: 'X', kind: 'wizard' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('CBC.0100');
    expect(bad.body.error_msg).toMatch(/kind/);

    const partner = (await call('POST', '/operator/partners', { token: operatorToken, body: { name: 'Dup', kind: 'distributor' } })).body;
    await registerCustomer('e2e-customer-dup');
    const body = { partner_id: partner.partner_id, customer_id: 'e2e-customer-dup', association_type: 1 };
    expect((await call('POST', '/operator/associations', { token: operatorToken, body })).status).toBe(201);
    const again = await call('POST', '/operator/associations', { token: operatorToken, body });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error_code: 'CBC.7007', error_msg: expect.stringMatching(/already associated/) });
  });

  it('keeps each partner to its own customers', async () => {
    const a = (await call('POST', '/operator/partners', { token: operatorToken, body: { name: 'A', kind: 'reseller' } })).body;
    const b = (await call('POST', '/operator/partners', { token: operatorToken, body: { name: 'B', kind: 'reseller' } })).body;
    await registerCustomer('only-a');
    await call('POST', '/operator/associations', { token: operatorToken, body: { partner_id: a.partner_id, customer_id: 'only-a', association_type: 2 } });
    const seenByB = await signedCall('POST', '/v2/partners/sub-customers/query', b, {});
    expect(seenByB).toEqual({ status: 200, body: { count: 0, customer_infos: [] } });
  });

  it('refuses unauthenticated, mis-signed and misdirected calls with the API error shape', async () => {
    const unsigned = await call('POST', '/v2/partners/sub-customers/query', { body: {} });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error_code).toBe('CBC.0150');

    const partner = (await call('POST', '/operator/partners', { token: operatorToken, body: { name: 'Sig', kind: 'reseller' } })).body;
    const wrongSecret = await signedCall('POST', '/v2/partners/sub-customers/query', { ...partner, secret_key: 'not-the-secret' }, {});
    expect(wrongSecret.status).toBe(401);

    const partnerOnOperatorApi = await signedCall('POST', '/operator/partners', partner, { name: 'x', kind: 'reseller' });
    expect(partnerOnOperatorApi.status).toBe(403);
    expect(partnerOnOperatorApi.body.error_code).toBe('CBC.0151');

    const unknownPath = await call('GET', '/v2/nothing-here', { token: operatorToken });
    expect(unknownPath.status).toBe(404);

    // Straight to a service, around the gateway: no proof, no answer.
    const direct = await fetch(`${customer.url}/v2/partners/sub-customers/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(direct.status).toBe(403);
    expect(await direct.json()).toMatchObject({ error_code: 'CBC.0151' });
  });

  it('rate-limits per access key with 429 CBC.0250', async () => {
    const partner = (await call('POST', '/operator/partners', { token: operatorToken, body: { name: 'Busy', kind: 'reseller' } })).body;
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => signedCall('POST', '/v2/partners/sub-customers/query', partner, { offset: i })));
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].body.error_code).toBe('CBC.0250');
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
  });

  it('exposes Prometheus metrics including the outbox backlog', async () => {
    const text = await fetch(`${customer.url}/metrics`).then((r) => r.text());
    expect(text).toMatch(/settle_outbox_backlog\{service="customer-service"\} 0/);
    expect(text).toMatch(/settle_http_request_duration_seconds_count/);
  });

  it('shuts down gracefully on SIGTERM: consumers leave their group, then the process ends by itself', async () => {
    const result = await billing.stop();
    // Nest re-raises the signal after its shutdown hooks ran, so the process ends "by SIGTERM".
    expect(result).toMatchObject({ forced: false, signal: 'SIGTERM' });
    expect(billing.logLines().some((l) => l.msg === 'shutting down')).toBe(true);
    expect(billing.logLines().some((l) => l.msg === 'consumer left its group')).toBe(true);
  });
});
