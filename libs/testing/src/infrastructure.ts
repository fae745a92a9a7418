import { existsSync } from 'node:fs';

/** Where integration tests find PostgreSQL, Redis and Kafka. */
export interface TestInfrastructure {
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
}

let cached: Promise<TestInfrastructure> | undefined;

/**
 * The services named by DATABASE_URL, REDIS_URL and KAFKA_BROKERS (what `npm test` sets up on
 * this machine). Where they are unset and a Docker engine exists, Testcontainers starts them;
 * it is imported only then, so machines without Docker never load it.
 */
export function testInfrastructure(): Promise<TestInfrastructure> {
  cached ??= resolveInfrastructure();
  return cached;
}

async function resolveInfrastructure(): Promise<TestInfrastructure> {
  const { DATABASE_URL, REDIS_URL, KAFKA_BROKERS } = process.env;
  if (DATABASE_URL && REDIS_URL && KAFKA_BROKERS) {
    return { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, kafkaBrokers: KAFKA_BROKERS.split(',').map((b) => b.trim()) };
  }
  if (!dockerAvailable()) {
    const missing = ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS'].filter((name) => !process.env[name]);
    throw new Error(
      `Integration tests need PostgreSQL, Redis and Kafka: set ${missing.join(', ')} or run them through \`npm test\`, ` +
        'which starts what is missing on this machine (no Docker engine was found for Testcontainers).',
    );
  }
  return startContainers();
}

function dockerAvailable(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

async function startContainers(): Promise<TestInfrastructure> {
  // Lazy on purpose: see testInfrastructure().
  const { GenericContainer, Wait } = await import('testcontainers');
  const postgres = await new GenericContainer('postgres:15')
    .withEnvironment({ POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'settle' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const redis = await new GenericContainer('redis:7').withExposedPorts(6379).start();
  const kafka = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: 9092, host: 19092 })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:19092',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  return {
    databaseUrl: `postgres://postgres:postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/settle`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    kafkaBrokers: [`${kafka.getHost()}:19092`],
  };
}
