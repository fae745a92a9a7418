import { checkMigrations, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { IncentiveService } from './incentive-service';

describe('incentive-service migrations', () => {
  it('build its schema from nothing, are idempotent, and agree with the entities', async () => {
    const ns = testNamespace();
    const config = IncentiveService.loadConfig(testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}incentive`));
    const result = await checkMigrations(IncentiveService.dataSourceOptions(config));
    const own = IncentiveService.definition.migrations.map((m) => m.name);
    expect(result).toEqual({ applied: ['MessagingTables1763769600000', ...own], reapplied: [], drift: [] });
  });
});
