import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthRegistry } from '@settle/platform';
import { DataSource } from 'typeorm';
import { ServiceDataSourceOptions, serviceDataSourceOptions } from './data-source';

/** The service's one datasource, registered with Nest and with the readiness check. */
@Module({})
export class PersistenceModule {
  static forRoot(options: ServiceDataSourceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...serviceDataSourceOptions(options), retryAttempts: 3, retryDelay: 1_000 }),
        }),
      ],
      providers: [
        {
          provide: 'SETTLE_PERSISTENCE_HEALTH',
          inject: [DataSource, HealthRegistry],
          useFactory: (dataSource: DataSource, health: HealthRegistry) => {
            health.register({
              name: 'postgres',
              async check() {
                await dataSource.query('SELECT 1');
              },
            });
            return true;
          },
        },
      ],
      exports: [TypeOrmModule],
    };
  }
}
