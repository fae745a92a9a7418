import { randomBytes } from 'node:crypto';
import { TestInfrastructure } from './infrastructure';
import { TestNamespace } from './isolation';

/** Secrets for one test run; fresh every run so nothing depends on a developer's values. */
export interface TestSecrets {
  INTERNAL_AUTH_SECRET: string;
  OPERATOR_TOKEN_SECRET: string;
  CREDENTIALS_ENCRYPTION_KEY: string;
}

export function testSecrets(): TestSecrets {
  return {
    INTERNAL_AUTH_SECRET: randomBytes(48).toString('base64'),
    OPERATOR_TOKEN_SECRET: randomBytes(48).toString('base64'),
    CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}

/** The environment a service gets in a test: real infrastructure, isolated names. */
export function testServiceEnv(infra: TestInfrastructure, ns: TestNamespace, secrets: TestSecrets, schema?: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: ns.topicPrefix,
    REDIS_PREFIX: ns.redisPrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    OUTBOX_POLL_MS: '50',
    // Every answer a test provokes is checked against its route's declared contract (the OpenAPI document's source).
    API_CONTRACT_CHECK: process.env.API_CONTRACT_CHECK ?? 'strict',
    ...(schema ? { DATABASE_SCHEMA: schema } : {}),
    ...secrets,
  };
}
