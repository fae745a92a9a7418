import { checkMigrations, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { InvoiceService } from './invoice-service';

describe('invoice-service migrations', () => {
  it('build its schema from nothing, are idempotent, and agree with the entities', async () => {
    const ns = testNamespace();
    const config = InvoiceService.loadConfig(testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}invoice`));
    const result = await checkMigrations(InvoiceService.dataSourceOptions(config));
    const own = InvoiceService.definition.migrations.map((m) => m.name);
    expect(result).toEqual({ applied: ['MessagingTables1763769600000', ...own], reapplied: [], drift: [] });
  });
});
