import { ServiceDataSourceOptions, appDatabaseUrl, createServiceDataSource, migrate, setPartnerScope, setSystemScope } from '@settle/persistence';
import { dropSchemas, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerService } from './customer-service';

/**
 * Below the service layer: raw SQL as the role customer-service connects as, on one row of partner
 * A in every partner table. Whatever a query asks, PostgreSQL answers only the rows of the partner
 * the transaction is scoped to, none without a scope, and refuses to write a row for another partner.
 */
describe('customer-service partner tables under row-level security', () => {
  let options: ServiceDataSourceOptions;
  let owner: DataSource;
  let app: DataSource;
  const A = `partner-a-${randomUUID().slice(0, 8)}`;
  const B = `partner-b-${randomUUID().slice(0, 8)}`;
  const accessKeyOfA = `AK${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`;
  const tables = [
    'invitations',
    'customer_authorizations',
    'access_keys',
    'partner_members',
    'customer_associations',
    'customer_labels',
    'customer_contacts',
    'audit_records',
    'verification_codes',
  ] as const;

  beforeAll(async () => {
    const ns = testNamespace();
    const env = testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}customer`);
    options = CustomerService.dataSourceOptions(CustomerService.loadConfig(env));
    await migrate(options);
    owner = await createServiceDataSource({ ...options, poolSize: 2 }).initialize();
    app = await createServiceDataSource({ ...options, url: appDatabaseUrl(options.url), poolSize: 2 }).initialize();
    await owner.query(`INSERT INTO invitations (id, partner_id, kind, token_hash, association_type, status) VALUES ($1, $2, 'offline', $3, 2, 'pending')`, [randomUUID(), A, randomUUID()]);
    await owner.query(`INSERT INTO customer_authorizations (id, partner_id, customer_id, scope, status, requested_by_access_key) VALUES ($1, $2, 'c1', 'all', 'pending', 'AK')`, [randomUUID(), A]);
    const member = randomUUID();
    await owner.query(`INSERT INTO partner_members (id, partner_id, name, role, created_by) VALUES ($1, $2, 'Sales A', 'salesperson', 'test')`, [member, A]);
    await owner.query(`INSERT INTO access_keys (access_key, partner_id, member_id, secret_ciphertext, status) VALUES ($1, $2, $3, 'sealed', 'active')`, [accessKeyOfA, A, member]);
    await owner.query(`INSERT INTO customer_associations (id, partner_id, customer_id, association_type, effective_from) VALUES ($1, $2, 'c1', 2, now())`, [randomUUID(), A]);
    await owner.query(`INSERT INTO customer_labels (partner_id, customer_id, label) VALUES ($1, 'c1', 'vip')`, [A]);
    await owner.query(`INSERT INTO customer_contacts (id, partner_id, customer_id, name, mobile) VALUES ($1, $2, 'c1', 'Contact A', '13800000000')`, [randomUUID(), A]);
    await owner.query(`INSERT INTO audit_records (id, partner_id, access_key, action, customer_id, field, request_id, at) VALUES ($1, $2, $3, 'reveal', 'c1', 'mobile', 'r1', now())`, [randomUUID(), A, accessKeyOfA]);
    await owner.query(`INSERT INTO verification_codes (id, receiver, scene, code_hash, partner_id, expires_at) VALUES ($1, '13800000000', '29', 'hash', $2, now() + interval '10 minutes')`, [randomUUID(), A]);
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
    if (options) await dropSchemas(options.url, [options.schema]);
  });

  const count = (scope: (m: EntityManager) => Promise<void>, table: string, where = 'partner_id = $1') =>
    app.transaction(async (m) => {
      await scope(m);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [A]);
      return n as number;
    });

  it.each(tables)('%s: partner B reads 0 of A rows (asked by partner or for all), no scope 0, A and the system 1', async (table) => {
    expect(await count((m) => setPartnerScope(m, B), table)).toBe(0);
    expect(await count((m) => setPartnerScope(m, B), table, '$1::text IS NOT NULL')).toBe(0);
    expect(await count(async () => undefined, table)).toBe(0);
    expect(await count((m) => setPartnerScope(m, A), table)).toBe(1);
    expect(await count((m) => setSystemScope(m), table)).toBe(1);
  });

  it("partner B can neither find A's access key by its id nor write, change or delete A's keys, members, labels or contacts", async () => {
    const asB = <T>(work: (m: EntityManager) => Promise<T>) =>
      app.transaction(async (m) => {
        await setPartnerScope(m, B);
        return work(m);
      });
    expect(await asB((m) => m.query(`SELECT secret_ciphertext FROM access_keys WHERE access_key = $1`, [accessKeyOfA]))).toEqual([]);
    await expect(asB((m) => m.query(`INSERT INTO access_keys (access_key, partner_id, secret_ciphertext, status) VALUES ($1, $2, 'x', 'active')`, [`AK${randomUUID().slice(0, 8)}`, A]))).rejects.toThrow(
      /row-level security/,
    );
    await expect(asB((m) => m.query(`INSERT INTO partner_members (id, partner_id, name, role, created_by) VALUES ($1, $2, 'x', 'admin', 't')`, [randomUUID(), A]))).rejects.toThrow(/row-level security/);
    await expect(asB((m) => m.query(`INSERT INTO customer_contacts (id, partner_id, customer_id, name) VALUES ($1, $2, 'c1', 'x')`, [randomUUID(), A]))).rejects.toThrow(/row-level security/);
    const [, revoked] = await asB((m) => m.query(`UPDATE access_keys SET status = 'revoked' WHERE access_key = $1`, [accessKeyOfA]));
    expect(revoked).toBe(0);
    const [, reassigned] = await asB((m) => m.query(`UPDATE customer_associations SET account_manager_id = 'm-b' WHERE partner_id = $1`, [A]));
    expect(reassigned).toBe(0);
    const [, unlabelled] = await asB((m) => m.query(`DELETE FROM customer_labels WHERE partner_id = $1`, [A]));
    expect(unlabelled).toBe(0);
    const [{ status }] = await owner.query(`SELECT status FROM access_keys WHERE access_key = $1`, [accessKeyOfA]);
    expect(status).toBe('active');
    expect(await count((m) => setSystemScope(m), 'customer_labels')).toBe(1);
  });

  it('keeps the scope to its transaction: the next one on the same pooled connection has none', async () => {
    expect(await count((m) => setPartnerScope(m, A), 'access_keys')).toBe(1);
    expect(await count(async () => undefined, 'access_keys')).toBe(0);
  });
});
