import { checkMigrations, testInfrastructure, testNamespace, testSecrets, testServiceEnv } from '@settle/testing';
import { MarketplaceService } from './marketplace-service';

describe('marketplace-service migrations', () => {
  it('build its schema from nothing, are idempotent, and agree with the entities', async () => {
    const ns = testNamespace();
    const config = MarketplaceService.loadConfig(testServiceEnv(await testInfrastructure(), ns, testSecrets(), `${ns.schemaPrefix}marketplace`));
    const result = await checkMigrations(MarketplaceService.dataSourceOptions(config));
    const own = MarketplaceService.definition.migrations.map((m) => m.name);
    expect(result).toEqual({ applied: ['MessagingTables1763769600000', ...own], reapplied: [], drift: [] });
  });
});
