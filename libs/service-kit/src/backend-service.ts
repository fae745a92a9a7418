import { DynamicModule, INestApplication, ModuleMetadata } from '@nestjs/common';
import { AuthModule } from '@settle/auth';
import { MessagingEntities, MessagingMigrations, MessagingModule } from '@settle/messaging';
import { PersistenceModule, ServiceDataSourceOptions, appDatabaseUrl, runMigrateCommand } from '@settle/persistence';
import {
  BackendConfigSchema,
  ConfigError,
  Logger,
  PlatformModule,
  createLogger,
  createServiceApp,
  exitOnStartupFailure,
  loadConfig,
} from '@settle/platform';
import { z } from 'zod';
import { outboxOperatorModule } from './outbox/outbox-operator.controller';
import { RouteDeclaration, routesOf } from './route-table';
import { openApiModule } from './openapi/openapi.controller';
import { serviceOpenApi } from './openapi/service-openapi';
import { API_VERSION, OpenApiDocument } from '@settle/contracts';

type BackendSchema = typeof BackendConfigSchema;

export interface BackendServiceDefinition<S extends BackendSchema> {
  /** e.g. `customer-service`: log `service` field, Kafka client id, CloudEvents source. */
  name: string;
  /** The PostgreSQL schema it owns unless DATABASE_SCHEMA says otherwise. */
  defaultSchema: string;
  defaultPort: number;
  /** Its configuration schema: BackendConfigSchema, extended with its own variables. */
  configSchema: S;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** The feature modules, given the validated configuration. */
  features: (config: z.infer<S>) => NonNullable<ModuleMetadata['imports']>;
}

/**
 * Everything a Settle backend service shares: validated configuration, logging, PostgreSQL in
 * its own schema, Redis, Kafka with outbox and inbox, the gateway-proof guard, health, metrics,
 * graceful shutdown; and its two commands, `main` (serve) and `migrate`.
 */
export function defineBackendService<S extends BackendSchema>(definition: BackendServiceDefinition<S>) {
  const withDefaults = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    PORT: String(definition.defaultPort),
    DATABASE_SCHEMA: definition.defaultSchema,
    ...stripEmpty(env),
  });

  const service = {
    definition,

    loadConfig(env: NodeJS.ProcessEnv = process.env): z.infer<S> {
      return loadConfig(definition.name, definition.configSchema, withDefaults(env));
    },

    schemaOf(config: z.infer<S>): string {
      return config.DATABASE_SCHEMA ?? definition.defaultSchema;
    },

    dataSourceOptions(config: z.infer<S>): ServiceDataSourceOptions {
      return {
        service: definition.name,
        url: config.DATABASE_URL,
        schema: service.schemaOf(config),
        entities: [...MessagingEntities, ...definition.entities],
        migrations: [...MessagingMigrations, ...definition.migrations],
      };
    },

    rootModule(config: z.infer<S>, logger: Logger): DynamicModule {
      const schema = service.schemaOf(config);
      const root: DynamicModule = {
        module: class SettleServiceModule {},
        imports: [
          PlatformModule.forRoot({ service: definition.name, config, logger }),
          AuthModule.forRoot({ internalSecret: config.INTERNAL_AUTH_SECRET }),
          // Served as the app role, which owns no table: row-level security holds for every query.
          PersistenceModule.forRoot({ ...service.dataSourceOptions(config), url: appDatabaseUrl(config.DATABASE_URL) }),
          MessagingModule.forRoot({ schema }),
          outboxOperatorModule(definition.name, schema),
          openApiModule(() => serviceOpenApi(definition.name, API_VERSION, routesOf(root))),
          ...definition.features(config),
        ],
      };
      return root;
    },

    /** Every HTTP route the service would serve, and who each declares may call it (nothing is started). */
    routes(env: NodeJS.ProcessEnv = process.env): RouteDeclaration[] {
      const config = service.loadConfig(env);
      return routesOf(service.rootModule(config, createLogger(definition.name, 'silent')));
    },

    /** The service's OpenAPI document (what `GET /openapi.json` answers), made without starting anything. */
    openapi(env: NodeJS.ProcessEnv = process.env): OpenApiDocument {
      return serviceOpenApi(definition.name, API_VERSION, service.routes(env));
    },

    /** Builds the app without listening (tests listen on an ephemeral port themselves). */
    async createApp(env: NodeJS.ProcessEnv = process.env, logger?: Logger): Promise<INestApplication> {
      const config = service.loadConfig(env);
      const log = logger ?? createLogger(definition.name, config.LOG_LEVEL);
      return createServiceApp({ module: service.rootModule(config, log), logger: log, contractCheck: config.API_CONTRACT_CHECK });
    },

    /** `node apps/<service>/src/main.ts`: serve until SIGTERM/SIGINT, then drain and exit. */
    async main(): Promise<void> {
      try {
        const config = service.loadConfig();
        const logger = createLogger(definition.name, config.LOG_LEVEL);
        const app = await createServiceApp({ module: service.rootModule(config, logger), logger, contractCheck: config.API_CONTRACT_CHECK });
        await app.listen(config.PORT, config.HOST);
        logger.info({ url: `http://${config.HOST}:${config.PORT}`, schema: service.schemaOf(config) }, 'listening');
      } catch (error) {
        exitOnStartupFailure(definition.name)(error instanceof ConfigError ? new Error(error.message) : error);
      }
    },

    /** `node apps/<service>/src/migrate.ts [--check]`. */
    async migrate(argv = process.argv.slice(2)): Promise<void> {
      try {
        const config = loadConfig(definition.name, migrateConfigSchema, withDefaults(process.env));
        await runMigrateCommand(
          service.dataSourceOptions({ ...config } as unknown as z.infer<S>),
          argv,
        );
      } catch (error) {
        process.stderr.write(`${definition.name} migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    },
  };
  return service;
}

/** Migrations need only the database. */
const migrateConfigSchema = BackendConfigSchema.pick({ DATABASE_URL: true, DATABASE_SCHEMA: true });

function stripEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}
