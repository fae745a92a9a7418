import { ServiceDataSourceOptions, createServiceDataSource, migrate, schemaDrift } from '@settle/persistence';
import { dropSchemas } from './isolation';

export interface MigrationCheck {
  /** Migrations applied to the empty schema. */
  applied: string[];
  /** Migrations applied by a second run (should be none). */
  reapplied: string[];
  /** SQL TypeORM would still run to match the entities (should be none). */
  drift: string[];
}

/** Migrates an empty schema twice, measures drift against the entities, then drops the schema. */
export async function checkMigrations(options: ServiceDataSourceOptions): Promise<MigrationCheck> {
  try {
    const applied = await migrate(options);
    const reapplied = await migrate(options);
    const dataSource = createServiceDataSource(options);
    await dataSource.initialize();
    try {
      return { applied, reapplied, drift: await schemaDrift(dataSource) };
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await dropSchemas(options.url, [options.schema]);
  }
}
