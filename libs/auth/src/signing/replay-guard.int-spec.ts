import { testInfrastructure, testNamespace } from '@settle/testing';
import { Redis } from 'ioredis';
import { RedisSignatureStore } from './replay-guard';

/** The store every gateway replica shares, on the real Redis. */
let redis: Redis;
let store: RedisSignatureStore;
const ns = testNamespace();
const answer = { status: 201, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"id":"x"}').toString('base64') };

beforeAll(async () => {
  redis = new Redis((await testInfrastructure()).redisUrl);
  store = new RedisSignatureStore(redis, `${ns.redisPrefix}:replay:`);
});
afterAll(() => redis?.quit());

describe('the Redis signature store', () => {
  it('claims a signature once for its window, then answers repeats with the recorded answer, keeping the window', async () => {
    await expect(store.claim('AK:s1', 'd', 1800)).resolves.toEqual({ outcome: 'first' });
    await expect(store.claim('AK:s1', 'd', 1800)).resolves.toEqual({ outcome: 'repeat' });
    await store.complete('AK:s1', 'd', answer);
    await expect(store.claim('AK:s1', 'd', 1800)).resolves.toEqual({ outcome: 'repeat', answer });
    const ttl = await redis.ttl(`${ns.redisPrefix}:replay:AK:s1`);
    expect(ttl).toBeGreaterThan(1790);
    expect(ttl).toBeLessThanOrEqual(1800);
  });

  it('gives exactly one of 20 concurrent claims the first place', async () => {
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim('AK:race', 'd', 60)));
    expect(claims.filter((c) => c.outcome === 'first')).toHaveLength(1);
    expect(claims.filter((c) => c.outcome === 'repeat')).toHaveLength(19);
  });

  it('refuses another body under the same signature, records an unknown outcome, and frees a released claim', async () => {
    await store.claim('AK:s2', 'd', 60);
    await expect(store.claim('AK:s2', 'other', 60)).resolves.toEqual({ outcome: 'conflict' });
    await store.complete('AK:s2', 'd', 'outcome-unknown');
    await expect(store.claim('AK:s2', 'd', 60)).resolves.toEqual({ outcome: 'repeat', unreplayable: 'outcome-unknown' });
    await store.release('AK:s2');
    await expect(store.claim('AK:s2', 'd', 60)).resolves.toEqual({ outcome: 'first' });
  });

  it('never revives an expired signature when the answer comes late', async () => {
    await store.complete('AK:gone', 'd', answer);
    expect(await redis.exists(`${ns.redisPrefix}:replay:AK:gone`)).toBe(0);
  });
});
