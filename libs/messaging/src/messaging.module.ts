import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BackendConfig, HealthRegistry, LOGGER, Logger, MetricsRegistry, SERVICE_CONFIG, SERVICE_NAME } from '@settle/platform';
import { Admin, Kafka, Producer } from 'kafkajs';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { EventConsumer, EventConsumerOptions } from './inbox/event-consumer';
import { createIdempotentProducer, createKafka } from './kafka/kafka-client';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';

export const KAFKA = Symbol('settle.kafka');
export const KAFKA_PRODUCER = Symbol('settle.kafka-producer');

export interface MessagingModuleOptions {
  /** The PostgreSQL schema whose outbox this service's relay drains. */
  schema: string;
}

/**
 * Kafka for one service: the idempotent producer, the outbox writer and its relay, and the
 * consumers feature modules register. Start-up order: producer, consumers, relay; shutdown in
 * reverse, consumers first so they leave their groups before the datasource closes.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumers: EventConsumer[] = [];
  private readonly relay: OutboxRelay;
  private admin?: Admin;
  private started = false;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: BackendConfig,
    @Inject(SERVICE_NAME) service: string,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsRegistry,
    health: HealthRegistry,
    @Inject('SETTLE_MESSAGING_OPTIONS') options: MessagingModuleOptions,
  ) {
    const published = metrics.counter('settle_outbox_published_total', 'Outbox events published to Kafka');
    this.relay = new OutboxRelay(dataSource, producer, {
      service,
      schema: options.schema,
      databaseUrl: config.DATABASE_URL,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      pollMs: config.OUTBOX_POLL_MS,
      logger: logger.child({ component: 'outbox-relay' }),
      onPublished: (n) => published.inc(n),
    });
    const relay = this.relay;
    metrics.registry.removeSingleMetric('settle_outbox_backlog');
    new Gauge({
      name: 'settle_outbox_backlog',
      help: 'Outbox events not yet published',
      registers: [metrics.registry],
      async collect() {
        this.set(await relay.backlog().catch(() => -1));
      },
    });
    metrics.registry.removeSingleMetric('settle_outbox_oldest_pending_age_seconds');
    new Gauge({
      name: 'settle_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox event not yet published (0 when none waits)',
      registers: [metrics.registry],
      async collect() {
        this.set(await relay.oldestPendingAgeSeconds().catch(() => -1));
      },
    });
    health.register({
      name: 'kafka',
      check: async () => {
        this.admin ??= this.kafka.admin();
        await this.admin.connect();
        await this.admin.describeCluster();
      },
    });
  }

  /** Registers a consumer; it starts with the application. */
  registerConsumer(options: Omit<EventConsumerOptions, 'topicPrefix'>): EventConsumer {
    const consumer = new EventConsumer(
      this.kafka,
      this.producer,
      this.dataSource,
      { ...options, topicPrefix: this.config.KAFKA_TOPIC_PREFIX },
      this.logger.child({ component: 'consumer', group: options.groupId }),
      this.metrics,
    );
    this.consumers.push(consumer);
    if (this.started) void consumer.start();
    return consumer;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
    for (const consumer of this.consumers) await consumer.start();
    await this.relay.start();
    this.started = true;
  }

  async onModuleDestroy(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop().catch((err) => this.logger.warn({ err: err.message }, 'consumer stop failed'));
    await this.relay.stop();
    await this.producer.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: 'SETTLE_MESSAGING_OPTIONS', useValue: options },
        {
          provide: KAFKA,
          inject: [SERVICE_CONFIG, SERVICE_NAME, LOGGER],
          useFactory: (config: BackendConfig, service: string, logger: Logger) =>
            createKafka({ clientId: service, brokers: config.KAFKA_BROKERS, logger: logger.child({ component: 'kafka' }) }),
        },
        { provide: KAFKA_PRODUCER, inject: [KAFKA], useFactory: (kafka: Kafka) => createIdempotentProducer(kafka) },
        { provide: OutboxWriter, inject: [SERVICE_NAME], useFactory: (service: string) => new OutboxWriter(service, options.schema) },
        MessagingRuntime,
      ],
      exports: [KAFKA, KAFKA_PRODUCER, OutboxWriter, MessagingRuntime],
    };
  }
}
