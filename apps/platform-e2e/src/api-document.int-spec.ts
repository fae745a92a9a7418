import { issueOperatorToken } from '@settle/auth';
import { GatewayClient, REPO_ROOT, ServiceProcess, dropSchemas, freePort, migrateService, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Browser, chromium } from 'playwright-core';
// The example integrator's client (examples/ is no Nx project: it imports no Settle library, only the official SDK signer and Ajv).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { OpenApiDocument, PartnerApiClient } from '../../../examples/settlement-consumer/src/partner-api';

/**
 * The API document as integrators get it: the gateway in front of all five services serves at
 * `/openapi.json` exactly the committed docs/api/openapi.json (composed at run time from what each
 * running service documents), a browsable page at `/docs` that renders it in a real browser, and a
 * partner client written only against the document (the example integrator's, signed with the
 * official Node SDK signer) finds every answer of a partner's session as documented.
 */
const ns = testNamespace();
const secrets = testSecrets();
const SERVICES = ['customer-service', 'billing-service', 'incentive-service', 'invoice-service', 'marketplace-service'] as const;
const schemas = Object.fromEntries(SERVICES.map((s) => [s, `${ns.schemaPrefix}${s.replace(/-service$/, '')}`])) as Record<(typeof SERVICES)[number], string>;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let processes: ServiceProcess[] = [];
let gateway: ServiceProcess;
let browser: Browser | undefined;

beforeAll(async () => {
  const infra = await testInfrastructure();
  const admin = createKafka({ clientId: 'e2e-api-document', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  const env = (schema?: string) => ({ ...testServiceEnv(infra, ns, secrets, schema), RATE_LIMIT_PER_SECOND: '1000' });
  for (const service of SERVICES) migrateService(service, env(schemas[service]));
  const started = await Promise.all(SERVICES.map(async (service) => new ServiceProcess(service, await freePort(), env(schemas[service])).start()));
  const url = Object.fromEntries(SERVICES.map((s, i) => [s, started[i]!.url]));
  gateway = await new ServiceProcess('gateway', await freePort(), {
    ...env(),
    CUSTOMER_SERVICE_URL: url['customer-service'],
    BILLING_SERVICE_URL: url['billing-service'],
    INCENTIVE_SERVICE_URL: url['incentive-service'],
    INVOICE_SERVICE_URL: url['invoice-service'],
    MARKETPLACE_SERVICE_URL: url['marketplace-service'],
  }).start();
  processes = [gateway, ...started];
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(processes.map((p) => p.stop()));
  const infra = await testInfrastructure();
  await dropSchemas(infra.databaseUrl, Object.values(schemas));
}, 60_000);

describe('the API document served by the gateway', () => {
  it('is the committed docs/api/openapi.json, composed from what the running services document', async () => {
    const res = await fetch(`${gateway.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const served = (await res.json()) as OpenApiDocument;
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'api', 'openapi.json'), 'utf8')) as OpenApiDocument;
    expect(served).toEqual(committed);
    // Open like health: no signature, no token; and only GET.
    expect((await fetch(`${gateway.url}/openapi.json`, { method: 'POST' })).status).toBe(404);
  });

  it('renders as a page in a browser (/docs, Swagger UI): every service a section, an operation expanded', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: \`npm test\` installs Debian's chromium package (or set CHROMIUM_PATH).`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${gateway.url}/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByText('Settle API', { exact: false }).first().waitFor();
    const tags = page.locator('.opblock-tag-section');
    await tags.first().waitFor();
    const titles = await page.locator('.opblock-tag').allInnerTexts();
    for (const service of SERVICES) expect(titles.some((t) => t.includes(service))).toBe(true);
    // Open billing's section and one partner operation in it.
    await page.locator('.opblock-tag', { hasText: 'billing-service' }).first().click();
    const balances = page.locator('.opblock', { hasText: '/v2/accounts/partner-accounts/balances' }).first();
    await balances.waitFor();
    await balances.locator('.opblock-summary').click();
    await balances.getByText('ListPartnerBalances', { exact: false }).first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    mkdirSync(join(REPO_ROOT, '.local', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, '.local', 'screenshots', 'api-docs.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it("answers a partner's signed session (the example's client, official SDK signer) exactly as documented, errors included", async () => {
    const operator = new GatewayClient(gateway.url).operator(issueOperatorToken({ subject: 'e2e-api-document', roles: ['admin'], ttlSeconds: 3600 }, secrets.OPERATOR_TOKEN_SECRET));
    const created = await operator('POST', '/operator/partners', { body: { name: `Doc reader ${randomUUID().slice(0, 8)}`, kind: 'reseller' } });
    expect(created.status).toBe(201);
    const api = await PartnerApiClient.connect(gateway.url, { accessKey: created.body.access_key, secretKey: created.body.secret_key });

    const session: Array<[string, string, { query?: Record<string, string>; body?: unknown }, number]> = [
      ['GET', '/v2/accounts/partner-accounts/balances', {}, 200],
      ['GET', '/v2/accounts/partner-accounts/account-change-records', { query: { limit: '5' } }, 200],
      ['POST', '/v2/partners/sub-customers/query', { body: {} }, 200],
      ['GET', '/v2/bills/statements', {}, 200],
      ['GET', '/v2/products/incentive-discount-policies', { query: { time: '2026-12-01T00:00:00Z' } }, 200],
      ['GET', '/v2/incentives/notices', {}, 200],
      ['GET', '/v2/invoices/invoice-information', {}, 200],
      // A refused parameter and a malformed body: documented 400s in the error shape.
      ['GET', '/v2/accounts/partner-accounts/account-change-records', { query: { limit: '0' } }, 400],
      ['POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: 'c', amount: 'ten' } }, 400],
    ];
    const seen: Array<{ call: string; status: number; operationId?: string; problems: string[] }> = [];
    for (const [method, path, options, expected] of session) {
      const result = await api.call(method, path, options);
      expect({ call: `${method} ${path}`, status: result.status }).toEqual({ call: `${method} ${path}`, status: expected });
      seen.push({ call: `${method} ${path}`, status: result.status, operationId: result.operationId, problems: result.problems });
    }
    expect(seen.filter((s) => s.problems.length)).toEqual([]);
    expect(seen.every((s) => s.operationId)).toBe(true);

    // A wrong secret key: the gateway's 401, documented for every partner operation.
    const stranger = new PartnerApiClient(gateway.url, { accessKey: created.body.access_key, secretKey: 'not-the-secret' }, api.document);
    const refused = await stranger.call('GET', '/v2/accounts/partner-accounts/balances');
    expect(refused.status).toBe(401);
    expect(refused.problems).toEqual([]);
    expect(refused.body).toMatchObject({ error_code: 'CBC.0150' });
  });
});
