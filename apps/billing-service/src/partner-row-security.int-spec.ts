import { ServiceDataSourceOptions, appDatabaseUrl, createServiceDataSource, migrate, setPartnerScope, setSystemScope } from '@settle/persistence';
import { dropSchemas, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BillingService } from './billing-service';

/**
 * Below the service layer: raw SQL as the role billing-service connects as, on rows of partner A.
 * Whatever a query says, PostgreSQL answers only the rows of the partner the transaction is scoped
 * to, none without a scope, and refuses to write a row for another partner.
 */
describe('billing partner tables under row-level security', () => {
  let options: ServiceDataSourceOptions;
  let owner: DataSource;
  let app: DataSource;
  const A = `partner-a-${randomUUID().slice(0, 8)}`;
  const B = `partner-b-${randomUUID().slice(0, 8)}`;
  const tables = ['statements', 'withdrawals', 'export_tasks', 'usage_records', 'rated_lines', 'customer_ownership', 'partner_coupons', 'partner_coupon_records'] as const;
  /** The column that names a row's partner: the issuer's on vouchers and their records. */
  const partnerColumn = (table: string) => (table.startsWith('partner_coupon') ? 'issuer_partner_id' : 'partner_id');

  beforeAll(async () => {
    const ns = testNamespace();
    const env = testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}billing`);
    options = BillingService.dataSourceOptions(BillingService.loadConfig(env));
    await migrate(options);
    owner = await createServiceDataSource({ ...options, poolSize: 2 }).initialize();
    app = await createServiceDataSource({ ...options, url: appDatabaseUrl(options.url), poolSize: 2 }).initialize();
    const now = new Date();
    await owner.query(
      `INSERT INTO statements (id, partner_id, bill_cycle, currency, program, bill_id, bill_amount_minor, revision, status, generated_at) VALUES ($1, $2, '2025-01', 'CNY', 'strict-selection', $3, 100, 1, 'pending', $4)`,
      [randomUUID(), A, randomUUID(), now],
    );
    await owner.query(
      `INSERT INTO withdrawals (id, partner_id, request_id, currency, amount_minor, status, hold_entry_id, applied_at, applied_by) VALUES ($1, $2, 'r1', 'CNY', 100, 'applied', $3, $4, 'test')`,
      [randomUUID(), A, randomUUID(), now],
    );
    await owner.query(
      `INSERT INTO export_tasks (id, partner_id, export_type, params, format, status, file_name, requested_by, created_at) VALUES ($1, $2, 'bill-details', '{}', 'csv', 'pending', 'f.csv', 'test', $3)`,
      [randomUUID(), A, now],
    );
    const record = `rec-${randomUUID()}`;
    await owner.query(
      `INSERT INTO usage_records (record_id, customer_id, service_type_code, resource_type_code, resource_id, region_code, usage, usage_measure_id, charge_mode, record_type,
                                  official_amount_minor, currency, occurred_at, bill_cycle, status, partner_id, association_id, association_type, source, received_at, rated_at)
       VALUES ($1, 'cust-a', 'hws.service.type.ec2', 'vm', 'vm-1', 'cn-north-4', 1, 9, 'on-demand', 'consumption', 100, 'CNY', $3, '2025-01', 'rated', $2, 'as-a', 2, 'http', $3, $3)`,
      [record, A, now],
    );
    await owner.query(
      `INSERT INTO rated_lines (id, partner_id, bill_cycle, customer_id, record_id, line_type, record_type, usage_cycle, association_id, association_type, service_type_code,
                                resource_type_code, resource_id, region_code, charge_mode, usage, usage_measure_id, occurred_at, currency, official_amount_minor, discount_rate,
                                discount_amount_minor, rated_amount_minor, status, revision, created_at, updated_at)
       VALUES ($1, $2, '2025-01', 'cust-a', $3, 'usage', 'consumption', '2025-01', 'as-a', 2, 'hws.service.type.ec2', 'vm', 'vm-1', 'cn-north-4', 'on-demand', 1, 9, $4, 'CNY', 100, 0, 0, 100, 'active', 1, $4, $4)`,
      [randomUUID(), A, record, now],
    );
    await owner.query(
      `INSERT INTO customer_ownership (association_id, partner_id, customer_id, association_type, effective_from, source_event_id) VALUES ($1, $2, 'cust-a', 2, $3, $4)`,
      [`as-${randomUUID()}`, A, now, randomUUID()],
    );
    const coupon = randomUUID().replace(/-/g, '');
    await owner.query(
      `INSERT INTO partner_coupons (id, issuer_partner_id, customer_id, quota_id, coupon_type, currency, face_value_minor, balance_minor, status, effective_at, expire_at, memo, created_by, created_at, updated_at)
       VALUES ($1, $2, 'cust-a', 'quota-a', 1, 'CNY', 5000, 5000, 2, $3, NULL, NULL, 'test', $3, $3)`,
      [coupon, A, now],
    );
    await owner.query(
      `INSERT INTO partner_coupon_records (id, operation_type, issuer_partner_id, coupon_id, quota_id, customer_id, currency, amount_minor, operator, remark, operated_at)
       VALUES ($1, 1, $2, $3, 'quota-a', 'cust-a', 'CNY', 5000, 'test', NULL, $4)`,
      [randomUUID(), A, coupon, now],
    );
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
    if (options) await dropSchemas(options.url, [options.schema]);
  });

  const count = (scope: (m: import('typeorm').EntityManager) => Promise<void>, table: string) =>
    app.transaction(async (m) => {
      await scope(m);
      // No WHERE at all: the query asks for every partner's rows.
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM ${table}`);
      return n as number;
    });

  it.each(tables)('%s: partner B, scoped to itself, reads 0 rows of partner A even asking for them by id', async (table) => {
    expect(await count((m) => setPartnerScope(m, B), table)).toBe(0);
    const asked = await app.transaction(async (m) => {
      await setPartnerScope(m, B);
      return m.query(`SELECT * FROM ${table} WHERE ${partnerColumn(table)} = $1`, [A]);
    });
    expect(asked).toEqual([]);
  });

  it.each(tables)('%s: a transaction with no scope reads 0 rows; partner A and the system read them', async (table) => {
    expect(await count(async () => undefined, table)).toBe(0);
    expect(await count((m) => setPartnerScope(m, A), table)).toBe(1);
    expect(await count((m) => setSystemScope(m), table)).toBe(1);
  });

  it('refuses partner B writing or changing a row of partner A', async () => {
    const write = app.transaction(async (m) => {
      await setPartnerScope(m, B);
      await m.query(`INSERT INTO export_tasks (id, partner_id, export_type, params, format, status, file_name, requested_by, created_at) VALUES ($1, $2, 'x', '{}', 'csv', 'pending', 'f', 't', now())`, [randomUUID(), A]);
    });
    await expect(write).rejects.toThrow(/row-level security/);
    const changed = await app.transaction(async (m) => {
      await setPartnerScope(m, B);
      return m.query(`UPDATE withdrawals SET status = 'paid' WHERE partner_id = $1`, [A]);
    });
    expect(changed[1]).toBe(0);
    const issued = app.transaction(async (m) => {
      await setPartnerScope(m, B);
      await m.query(
        `INSERT INTO partner_coupons (id, issuer_partner_id, customer_id, quota_id, coupon_type, currency, face_value_minor, balance_minor, status, effective_at, created_by, created_at, updated_at)
         VALUES ($1, $2, 'cust-a', 'quota-a', 1, 'CNY', 100, 100, 2, now(), 't', now(), now())`,
        [randomUUID().replace(/-/g, ''), A],
      );
    });
    await expect(issued).rejects.toThrow(/row-level security/);
    const reclaimed = await app.transaction(async (m) => {
      await setPartnerScope(m, B);
      return m.query(`UPDATE partner_coupons SET balance_minor = 0, status = 5 WHERE issuer_partner_id = $1`, [A]);
    });
    expect(reclaimed[1]).toBe(0);
  });

  it('keeps the scope to its transaction: the next one on the same pooled connection has none', async () => {
    await count((m) => setPartnerScope(m, A), 'statements');
    expect(await count(async () => undefined, 'statements')).toBe(0);
  });

  it('connects as a role that owns nothing and cannot bypass row-level security', async () => {
    const [role] = await app.query(`SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ name: 'settle_app', rolsuper: false, rolbypassrls: false });
    const [{ owned }] = await app.query(`SELECT count(*)::int AS owned FROM pg_tables WHERE schemaname = $1 AND tableowner = current_user`, [options.schema]);
    expect(owned).toBe(0);
  });
});
