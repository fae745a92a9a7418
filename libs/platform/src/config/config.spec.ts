import { BackendConfigSchema, ConfigError, loadConfig } from './config';

const valid = {
  PORT: '8081',
  INTERNAL_AUTH_SECRET: 'x'.repeat(32),
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/settle',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
};

describe('configuration', () => {
  it('is parsed into typed values with defaults', () => {
    const config = loadConfig('billing-service', BackendConfigSchema, valid);
    expect(config).toMatchObject({ PORT: 8081, KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'], KAFKA_TOPIC_PREFIX: '', LOG_LEVEL: 'info', OUTBOX_POLL_MS: 250 });
  });

  it('names every missing or malformed variable at once, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig('billing-service', BackendConfigSchema, { ...valid, DATABASE_URL: undefined, REDIS_URL: 'http://nope', INTERNAL_AUTH_SECRET: 'short-secret' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^billing-service: invalid configuration:/);
    expect(message).toContain('DATABASE_URL: is required but not set');
    expect(message).toContain('REDIS_URL: must be a URL with protocol redis: or rediss:');
    expect(message).toContain('INTERNAL_AUTH_SECRET: must be at least 32 characters');
    expect(message).not.toContain('short-secret');
  });
});
