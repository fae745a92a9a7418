import { ServiceDataSourceOptions, createServiceDataSource, migrate, partnerTablesOf, schemaDrift } from '@settle/persistence';
import { dropSchemas, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';

export interface MigrationCheck {
  /** Migrations applied to the empty schema. */
  applied: string[];
  /** Migrations applied by a second run (should be none). */
  reapplied: string[];
  /** SQL TypeORM would still run to match the entities (should be none). */
  drift: string[];
  /** Tables with a partner column (partner_id, or the columns asked for), and whether row-level security (forced) guards each. */
  partnerTables: Array<{ table: string; secured: boolean }>;
}

/**
 * Test support for services built with `defineBackendService` (import `@settle/service-kit/testing`
 * from specs only: it uses jest's globals).
 */

/** Migrates an empty schema twice, measures drift against the entities, then drops the schema. */
export async function checkMigrations(options: ServiceDataSourceOptions, partnerColumns?: readonly string[]): Promise<MigrationCheck> {
  try {
    const applied = await migrate(options);
    const reapplied = await migrate(options);
    const dataSource = createServiceDataSource(options);
    await dataSource.initialize();
    try {
      return { applied, reapplied, drift: await schemaDrift(dataSource), partnerTables: await partnerTablesOf(dataSource, options.schema, partnerColumns) };
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await dropSchemas(options.url, [options.schema]);
  }
}

/** What `describeServiceMigrations` needs of a service made by `defineBackendService`. */
export interface MigratableService<C> {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  definition: { name: string; defaultSchema: string; migrations: Function[] };
  loadConfig(env: NodeJS.ProcessEnv): C;
  dataSourceOptions(config: C): ServiceDataSourceOptions;
}

/**
 * The migration suite every backend service runs: on an empty schema of the real PostgreSQL the
 * shared messaging tables and then exactly the service's own migrations apply, a second run
 * applies nothing, and the entities agree with the migrated schema.
 */
export interface ServiceMigrationOptions {
  /** Partner tables deliberately not under row-level security (the spec says why). */
  rowSecurityExempt?: string[];
  /** The columns that name a row's partner (default `partner_id`; e.g. also `issuer_partner_id`). */
  partnerColumns?: string[];
}

export function describeServiceMigrations<C>(service: MigratableService<C>, options: ServiceMigrationOptions = {}): void {
  describe(`${service.definition.name} migrations`, () => {
    it('build its schema from nothing, are idempotent, and agree with the entities', async () => {
      const ns = testNamespace();
      const env = testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}${service.definition.defaultSchema}`);
      const result = await checkMigrations(service.dataSourceOptions(service.loadConfig(env)), options.partnerColumns);
      const own = service.definition.migrations.map((m) => m.name);
      const { partnerTables, ...rest } = result;
      expect(rest).toEqual({ applied: ['MessagingTables1763769600000', 'MessagingTraceContext1763769600001', ...own], reapplied: [], drift: [] });
      // Partner data is under row-level security by default: a new table with a partner column either
      // gets its policy (enablePartnerRowSecurity) or is named here, with the reason in the spec.
      const exempt = new Set(options.rowSecurityExempt ?? []);
      expect(partnerTables.filter((t) => !t.secured && !exempt.has(t.table)).map((t) => t.table)).toEqual([]);
    });
  });
}
