import { checkMigrations, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { CustomerService } from './customer-service';

describe('customer-service migrations', () => {
  it('build its schema from nothing, are idempotent, and agree with the entities', async () => {
    const ns = testNamespace();
    const config = CustomerService.loadConfig(testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}customer`));
    const result = await checkMigrations(CustomerService.dataSourceOptions(config));
    const own = CustomerService.definition.migrations.map((m) => m.name);
    expect(result).toEqual({ applied: ['MessagingTables1763769600000', ...own], reapplied: [], drift: [] });
  });
});
