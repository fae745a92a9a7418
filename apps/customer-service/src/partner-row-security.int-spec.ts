import { ServiceDataSourceOptions, appDatabaseUrl, createServiceDataSource, migrate, setPartnerScope, setSystemScope } from '@settle/persistence';
import { dropSchemas, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerService } from './customer-service';

/** Below the service layer: raw SQL as the role customer-service connects as, on partner A's invitations and authorizations. */
describe('customer-service partner tables under row-level security', () => {
  let options: ServiceDataSourceOptions;
  let owner: DataSource;
  let app: DataSource;
  const A = `partner-a-${randomUUID().slice(0, 8)}`;
  const B = `partner-b-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const ns = testNamespace();
    const env = testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}customer`);
    options = CustomerService.dataSourceOptions(CustomerService.loadConfig(env));
    await migrate(options);
    owner = await createServiceDataSource({ ...options, poolSize: 2 }).initialize();
    app = await createServiceDataSource({ ...options, url: appDatabaseUrl(options.url), poolSize: 2 }).initialize();
    await owner.query(`INSERT INTO invitations (id, partner_id, kind, token_hash, association_type, status) VALUES ($1, $2, 'offline', $3, 2, 'pending')`, [randomUUID(), A, randomUUID()]);
    await owner.query(`INSERT INTO customer_authorizations (id, partner_id, customer_id, scope, status, requested_by_access_key) VALUES ($1, $2, 'c1', 'all', 'pending', 'AK')`, [randomUUID(), A]);
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
    if (options) await dropSchemas(options.url, [options.schema]);
  });

  const count = (scope: (m: EntityManager) => Promise<void>, table: string) =>
    app.transaction(async (m) => {
      await scope(m);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM ${table} WHERE partner_id = $1`, [A]);
      return n as number;
    });

  it.each(['invitations', 'customer_authorizations'])('%s: partner B reads 0 of A rows, no scope 0, A and the system 1', async (table) => {
    expect(await count((m) => setPartnerScope(m, B), table)).toBe(0);
    expect(await count(async () => undefined, table)).toBe(0);
    expect(await count((m) => setPartnerScope(m, A), table)).toBe(1);
    expect(await count((m) => setSystemScope(m), table)).toBe(1);
  });
});
