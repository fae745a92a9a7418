import { Redis } from 'ioredis';

/**
 * Remembers signatures already used. A signed request is valid for 15 minutes either side of its
 * date; within that window an identical second request is a replay.
 */
export interface ReplayGuard {
  /** True if the key was not seen before (and is now claimed for ttlSeconds). */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

/** Shared by every gateway replica. */
export class RedisReplayGuard implements ReplayGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'settle:replay:',
  ) {}

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }
}

/** For unit tests and single-process tools only. */
export class InMemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  async claim(key: string, ttlSeconds: number, now = Date.now()): Promise<boolean> {
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > now) return false;
    this.seen.set(key, now + ttlSeconds * 1000);
    return true;
  }
}
