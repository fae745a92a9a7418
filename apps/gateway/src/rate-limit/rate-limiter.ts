import { ThrottledError } from '@settle/contracts';
import { Redis } from 'ioredis';

/**
 * A per-caller limit shared by every gateway replica: a counter per caller and second in Redis.
 * Over the limit the caller gets 429 CBC.0250 with Retry-After.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perSecond: number,
  ) {}

  async consume(caller: string, nowMs = Date.now()): Promise<void> {
    const second = Math.floor(nowMs / 1000);
    const key = `${this.prefix}:ratelimit:${caller}:${second}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 2).exec()) as [[Error | null, number]];
    if (count > this.perSecond) {
      throw new ThrottledError(`Too many requests for ${caller}: the limit is ${this.perSecond} per second.`, 1);
    }
  }
}
