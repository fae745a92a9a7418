import { issueOperatorToken } from '@settle/auth';
import { createKafka, provisionTopics } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import {
  GatewayClient,
  PartnerCredentials,
  REPO_ROOT,
  ServiceProcess,
  dropSchemas,
  freePort,
  migrateService,
  testInfrastructure,
  testNamespace,
  testSecrets,
  testServiceEnv,
} from '@settle/testing';
import { spawn } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Rotating the key that seals partners' secret keys, on the real stack: customer-service and the
 * gateway as processes, the operator CLI as an operator runs it. Secrets sealed under key A (one
 * still in the first release's unversioned format) keep verifying while key B becomes active,
 * are re-sealed under B with traffic flowing, and still verify once A is gone.
 */
const ns = testNamespace();
const secrets = testSecrets();
const schema = `${ns.schemaPrefix}customer`;
const keyA = secrets.CREDENTIALS_ENCRYPTION_KEY;
const keyB = randomBytes(32).toString('base64');
let infra: Awaited<ReturnType<typeof testInfrastructure>>;
let customerPort: number;
let customer: ServiceProcess | undefined;
let gateway: ServiceProcess;
let client: GatewayClient;
let db: Client;

const baseEnv = () => {
  const env = { ...testServiceEnv(infra, ns, secrets, schema) };
  delete env.CREDENTIALS_ENCRYPTION_KEY;
  return env;
};

/** (Re)starts customer-service on the same port with these sealing keys, as a rolling restart would. */
async function runCustomerService(keys: NodeJS.ProcessEnv): Promise<void> {
  await customer?.stop();
  customer = await new ServiceProcess('customer-service', customerPort, { ...baseEnv(), ...keys }).start();
}

function operatorToken(): string {
  return issueOperatorToken({ subject: 'rotation-test', roles: ['admin'], ttlSeconds: 600 }, secrets.OPERATOR_TOKEN_SECRET);
}

function settle(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/settle/bin/settle.js'), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SETTLE_URL: gateway.url, SETTLE_OPERATOR_TOKEN: operatorToken() },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A signed call that needs the partner's secret key to verify: the gateway asks customer-service for it each time. */
async function whoAmI(credentials: PartnerCredentials): Promise<number> {
  return (await client.partner(credentials)('GET', '/v2/partners/members/me')).status;
}

/** The first release's format: base64(iv | tag | ciphertext) under the single key, no key id. */
function legacySeal(base64Key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

async function sealedKeyIds(): Promise<string[]> {
  const rows = await db.query(`SELECT secret_ciphertext FROM "${schema}".access_keys ORDER BY access_key`);
  return rows.rows.map((r: { secret_ciphertext: string }) => (r.secret_ciphertext.startsWith('v2:') ? r.secret_ciphertext.split(':')[1] : 'unversioned'));
}

beforeAll(async () => {
  infra = await testInfrastructure();
  const admin = createKafka({ clientId: 'e2e-rotation', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  migrateService('customer-service', { ...baseEnv(), CREDENTIALS_ENCRYPTION_KEY: keyA });
  customerPort = await freePort();
  await runCustomerService({ CREDENTIALS_ENCRYPTION_KEY: keyA });
  // No credential cache: every signed call below makes customer-service open the secret again.
  gateway = await new ServiceProcess('gateway', await freePort(), {
    ...testServiceEnv(infra, ns, secrets),
    CUSTOMER_SERVICE_URL: customer!.url,
    CREDENTIAL_CACHE_MS: '0',
    RATE_LIMIT_PER_SECOND: '1000',
  }).start();
  client = new GatewayClient(gateway.url);
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end();
  await Promise.all([gateway?.stop(), customer?.stop()]);
  if (infra) await dropSchemas(infra.databaseUrl, [schema]);
}, 60_000);

describe('sealing-key rotation', () => {
  it('adds key B, re-seals every secret under it with the CLI while calls keep verifying, and works without key A', async () => {
    const operator = client.operator(operatorToken());
    const create = async (name: string) => {
      const res = await operator('POST', '/operator/partners', { body: { name, kind: 'reseller' } });
      expect(res.status).toBe(201);
      return res.body as PartnerCredentials & { partner_id: string };
    };
    // Under key A: ten partners, and one secret as the first release stored it.
    const underA = await Promise.all(Array.from({ length: 10 }, (_, i) => create(`Rotation A${i}`)));
    await db.query(`UPDATE "${schema}".access_keys SET secret_ciphertext = $1 WHERE access_key = $2`, [legacySeal(keyA, underA[0].secret_key), underA[0].access_key]);
    expect((await sealedKeyIds()).sort()).toEqual([...Array(9).fill('legacy'), 'unversioned']);
    for (const p of underA) expect(await whoAmI(p)).toBe(200);

    // Both keys, B active: old secrets still open, new ones are sealed under B.
    await runCustomerService({ CREDENTIALS_ENCRYPTION_KEY: keyA, CREDENTIALS_ENCRYPTION_KEYS: `b:${keyB}`, CREDENTIALS_ENCRYPTION_ACTIVE_KEY: 'b' });
    const underB = await create('Rotation B');
    expect(await whoAmI(underB)).toBe(200);
    for (const p of underA) expect(await whoAmI(p)).toBe(200);
    const before = JSON.parse((await settle(['secrets', 'keys', '--json'])).stdout);
    expect(before).toMatchObject({ active_key_id: 'b', key_ids: ['legacy', 'b'] });
    expect(before.sealed).toEqual(expect.arrayContaining([{ table: 'access_keys', key_id: 'legacy', count: 10 }, { table: 'access_keys', key_id: 'b', count: 1 }]));

    // Re-seal in batches of 3 while partners keep calling: nothing fails on the way.
    let resealing = true;
    const traffic = (async () => {
      const statuses: number[] = [];
      while (resealing) statuses.push(...(await Promise.all([...underA, underB].map(whoAmI))));
      return statuses;
    })();
    const run = await settle(['secrets', 'reseal', '--batch-size', '3', '--json']);
    resealing = false;
    const statuses = await traffic;
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ active_key_id: 'b', resealed: 10, unreadable: [], sealed: [{ table: 'access_keys', key_id: 'b', count: 11 }] });
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await sealedKeyIds()).toEqual(Array(11).fill('b'));

    // Again: nothing left to do.
    expect(JSON.parse((await settle(['secrets', 'reseal', '--json'])).stdout)).toMatchObject({ resealed: 0, unreadable: [] });

    // Key A removed: every partner's credentials still verify.
    await runCustomerService({ CREDENTIALS_ENCRYPTION_KEYS: `b:${keyB}` });
    for (const p of [...underA, underB]) expect(await whoAmI(p)).toBe(200);
    expect(JSON.parse((await settle(['secrets', 'keys', '--json'])).stdout)).toMatchObject({ active_key_id: 'b', key_ids: ['b'] });
  });

  it('refuses to start with an active key id that is not configured, naming the variable and never a key', async () => {
    const refused = new ServiceProcess('customer-service', await freePort(), { ...baseEnv(), CREDENTIALS_ENCRYPTION_KEYS: `b:${keyB}`, CREDENTIALS_ENCRYPTION_ACTIVE_KEY: 'c' });
    const failure = await refused.start().then(
      () => undefined,
      (e: Error) => e.message,
    );
    await refused.stop();
    expect(failure).toMatch(/CREDENTIALS_ENCRYPTION_ACTIVE_KEY: names 'c', which is not a configured key \(configured: b\)/);
    expect(failure).not.toContain(keyB);
  });
});
