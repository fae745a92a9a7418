import { checkMigrations, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { BillingService } from './billing-service';

describe('billing-service migrations', () => {
  it('build its schema from nothing, are idempotent, and agree with the entities', async () => {
    const ns = testNamespace();
    const config = BillingService.loadConfig(testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}billing`));
    const result = await checkMigrations(BillingService.dataSourceOptions(config));
    const own = BillingService.definition.migrations.map((m) => m.name);
    expect(result).toEqual({ applied: ['MessagingTables1763769600000', ...own], reapplied: [], drift: [] });
  });
});
