import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { grantAppRole } from './app-role';
import { ServiceDataSourceOptions, createServiceDataSource } from './data-source';

/** Creates the service's schema if needed; migrations (and their bookkeeping table) live in it. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations in order, each in its own transaction, as the schema's owner; then
 * grants the app role the services connect as (`APP_ROLE`) what they need. Returns their names.
 */
export async function migrate(options: ServiceDataSourceOptions): Promise<string[]> {
  await ensureSchema(options.url, options.schema);
  const dataSource = createServiceDataSource(options);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await grantAppRole(options.url, options.schema);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The SQL TypeORM would run to make the database match the entities. Empty means entities and
 * migrations agree; anything else is drift: a migration is missing or wrong.
 */
export async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

/**
 * Entry point of each service's `migrate` command: `migrate` applies, `migrate --check` applies
 * to the target and then fails if entities and migrations disagree.
 */
export async function runMigrateCommand(options: ServiceDataSourceOptions, argv = process.argv.slice(2)): Promise<void> {
  const applied = await migrate(options);
  process.stdout.write(
    applied.length ? `${options.service}: applied ${applied.join(', ')} in schema ${options.schema}\n` : `${options.service}: schema ${options.schema} is up to date\n`,
  );
  if (argv.includes('--check')) {
    const dataSource = createServiceDataSource(options);
    await dataSource.initialize();
    try {
      const drift = await schemaDrift(dataSource);
      if (drift.length) {
        process.stderr.write(`${options.service}: entities and migrations disagree; missing SQL:\n${drift.join(';\n')}\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`${options.service}: entities and migrations agree\n`);
      }
    } finally {
      await dataSource.destroy();
    }
  }
}
