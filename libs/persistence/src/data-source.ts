import { DataSource, DataSourceOptions, MixedList, QueryRunner } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface ServiceDataSourceOptions {
  /** The service, for PostgreSQL's application_name (visible in pg_stat_activity). */
  service: string;
  url: string;
  /** The service's own schema: no service reads or writes another's. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/**
 * One datasource per service, in its own schema. `synchronize` is off for good: the schema
 * changes only through migration files, and a drift check proves entities and migrations agree.
 */
export function serviceDataSourceOptions(options: ServiceDataSourceOptions): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: options.service,
    poolSize: options.poolSize ?? 10,
    extra: {
      // Every session works in the service's schema first; raw SQL needs no qualification.
      options: `-c search_path=${options.schema},public -c timezone=UTC`,
      connectionTimeoutMillis: 5_000,
    },
  };
}

export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  return new DataSource(serviceDataSourceOptions(options) as DataSourceOptions);
}

/** The schema a migration runs in, so migration files name no schema and serve any deployment. */
export function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as PostgresConnectionOptions).schema;
  if (!schema) throw new Error('The datasource has no schema; every Settle datasource must name one.');
  return `"${schema.replace(/"/g, '""')}"`;
}
