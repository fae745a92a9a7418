import { Redis, RedisOptions } from 'ioredis';
import { HealthIndicator } from '../health/health-registry';

/**
 * Redis connections. BullMQ needs `maxRetriesPerRequest: null` on its connections (a blocking
 * worker must not give up); plain commands fail fast instead.
 */
export function redisOptionsFromUrl(url: string, forBullMq = false): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname && parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: forBullMq ? null : 2,
    enableReadyCheck: true,
    lazyConnect: false,
  };
}

export function createRedis(url: string): Redis {
  return new Redis(redisOptionsFromUrl(url));
}

export function redisHealthIndicator(redis: Redis): HealthIndicator {
  return {
    name: 'redis',
    async check() {
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    },
  };
}
