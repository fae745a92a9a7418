import { InMemorySignatureStore, StoredAnswer } from '@settle/auth';
import type { Response } from 'express';
import { UpstreamUnavailableError } from '../proxy/proxy';
import { MutationReplay, isRead } from './mutation-replay';

/** What a client receives: the status, headers and body written to the response. */
function client() {
  const got: { status?: number; headers?: Record<string, string | string[]>; body?: string } = {};
  const response = {
    writeHead(status: number, headers: Record<string, string | string[]>) {
      got.status = status;
      got.headers = headers;
      return response;
    },
    end(body: Buffer) {
      got.body = body.toString('utf8');
      return response;
    },
  };
  return { response: response as unknown as Response, got };
}

const answer = (body: string, status = 200): StoredAnswer => ({ status, headers: { 'content-type': 'application/json', date: 'Mon, 01 Jan 2026 00:00:00 GMT' }, body: Buffer.from(body).toString('base64') });
const mutation = { key: 'AK:sig', bodyDigest: 'digest', ttlSeconds: 1800 };

describe('a signed mutation repeated under one signature', () => {
  it('treats GET, HEAD and the partner API POST queries as reads', () => {
    expect(['GET', 'HEAD'].map((m) => isRead(m))).toEqual([true, true]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map((m) => isRead(m))).toEqual([false, false, false, false]);
    // The partner API's POST queries read; other POSTs under the same prefixes change things.
    expect(['/v2/partners/sub-customers/query', '/v2/partners/coupon-quotas/query', '/v2/accounts/customer-accounts/balances/batch-query'].map((p) => isRead('POST', p))).toEqual([true, true, true]);
    expect(['/v2/partners/sub-customers', '/v2/partners/coupon-quotas/indirect-partner-adjust', '/v2/partners/queryx'].map((p) => isRead('POST', p))).toEqual([false, false, false]);
  });

  it('applies once while a concurrent repeat waits for, and gets, the first answer', async () => {
    const replay = new MutationReplay(new InMemorySignatureStore());
    let finish!: (a: StoredAnswer) => void;
    let applied = 0;
    let started!: () => void;
    const applying = new Promise<void>((resolve) => (started = resolve));
    const apply = () => {
      applied += 1;
      started();
      return new Promise<StoredAnswer>((resolve) => (finish = resolve));
    };
    const first = client();
    const repeat = client();
    const firstDone = replay.handle(mutation, first.response, apply);
    await applying;
    const repeatDone = replay.handle(mutation, repeat.response, apply);
    finish(answer('{"transfer_id":"t1"}', 201));
    await Promise.all([firstDone, repeatDone]);
    expect(applied).toBe(1);
    expect(first.got).toEqual({ status: 201, headers: answer('').headers, body: '{"transfer_id":"t1"}' });
    expect(repeat.got).toEqual({ status: 201, headers: { 'content-type': 'application/json', 'x-settle-replayed': 'true' }, body: '{"transfer_id":"t1"}' });
  });

  it('refuses the same signature with another body digest (401 CBC.0150)', async () => {
    const replay = new MutationReplay(new InMemorySignatureStore());
    await replay.handle(mutation, client().response, async () => answer('{}'));
    await expect(replay.handle({ ...mutation, bodyDigest: 'other' }, client().response, async () => answer('{}'))).rejects.toMatchObject({ status: 401, errorCode: 'CBC.0150', message: expect.stringMatching(/another body/) });
  });

  it('answers 409 when the first is still in flight after the wait', async () => {
    const replay = new MutationReplay(new InMemorySignatureStore(), { waitMs: 60 });
    void replay.handle(mutation, client().response, () => new Promise<StoredAnswer>(() => undefined));
    await expect(replay.handle(mutation, client().response, async () => answer('{}'))).rejects.toMatchObject({ status: 409, errorCode: 'CBC.0102', message: expect.stringMatching(/still in progress/) });
  });

  it('lets a repeat apply when the first never reached the service, and says "outcome unknown" when it may have', async () => {
    const store = new InMemorySignatureStore();
    const replay = new MutationReplay(store);
    const refused = new UpstreamUnavailableError('billing-service', new Error('connect ECONNREFUSED'), false);
    await expect(replay.handle(mutation, client().response, async () => Promise.reject(refused))).rejects.toBe(refused);
    const retried = client();
    await replay.handle(mutation, retried.response, async () => answer('{"ok":true}'));
    expect(retried.got.body).toBe('{"ok":true}');

    const other = { ...mutation, key: 'AK:timeout' };
    const timedOut = new UpstreamUnavailableError('billing-service', new Error('did not answer in time'), true);
    await expect(replay.handle(other, client().response, async () => Promise.reject(timedOut))).rejects.toBe(timedOut);
    await expect(replay.handle(other, client().response, async () => answer('{}'))).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/may or may not have applied/) });
  });

  it('answers an oversized first answer once and its repeats with 409', async () => {
    const replay = new MutationReplay(new InMemorySignatureStore(), { maxAnswerBytes: 8 });
    const first = client();
    await replay.handle(mutation, first.response, async () => answer('{"much":"too long"}'));
    expect(first.got.body).toBe('{"much":"too long"}');
    await expect(replay.handle(mutation, client().response, async () => answer('{}'))).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/too large/) });
  });
});
