import { createHash } from 'node:crypto';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { signRequest } from './sign-request';
import { SignedRequest, verifySignedRequest } from './verify-signed-request';

const AK = 'HPUAEXAMPLEAK0000001';
const SK = 'example-secret-key-of-the-partner';
const HOST = '127.0.0.1:8080';
const NOW = new Date('2026-11-22T10:15:00Z');

/** Signs with the provider's official Node SDK core signer, as an integration written against the real API would. */
function officialSign(input: { method: string; path: string; query?: Record<string, string | string[]>; body?: unknown; headers?: Record<string, string> }) {
  const credential = new BasicCredentials().withAk(AK).withSk(SK);
  const request = {
    method: input.method,
    endpoint: `http://${HOST}${input.path}`,
    headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': '20261122T101500Z', ...input.headers },
    queryParams: input.query ?? {},
    data: input.body,
  };
  return AKSKSigner.sign(request as never, credential) as Record<string, string>;
}

/** What the gateway sees: lower-case header names, the raw path and query, the body bytes. */
function asReceived(headers: Record<string, string>, path: string, rawQuery: string, body?: unknown): SignedRequest {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v);
  return { method: lower[':method'] ?? 'GET', path, rawQuery, headers: lower, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)) };
}

function deps(secret = SK) {
  return { lookupSecret: async (ak: string) => (ak === AK ? secret : undefined), now: () => NOW };
}

describe('SDK-HMAC-SHA256 compatibility with the official SDK signer', () => {
  it('accepts a GET with a query signed by the official signer', async () => {
    const headers = officialSign({ method: 'GET', path: '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', query: { bill_cycle: '2026-10', limit: '10', offset: '0' } });
    const request = { ...asReceived(headers, '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', 'limit=10&offset=0&bill_cycle=2026-10'), method: 'GET' };
    await expect(verifySignedRequest(request, deps())).resolves.toMatchObject({ accessKey: AK });
  });

  it('accepts a POST with a JSON body signed by the official signer', async () => {
    const body = { offset: 0, limit: 100, customer: '张三 & co' };
    const headers = officialSign({ method: 'POST', path: '/v2/partners/sub-customers/query', body });
    await expect(verifySignedRequest({ ...asReceived(headers, '/v2/partners/sub-customers/query', '', body), method: 'POST' }, deps())).resolves.toMatchObject({ accessKey: AK });
  });

  it('accepts a path with encoded characters and repeated query parameters', async () => {
    const headers = officialSign({ method: 'GET', path: '/v2/orders/customer-orders/details/CS%20123', query: { status: ['2', '1'], q: 'a b+c' } });
    const request = { ...asReceived(headers, '/v2/orders/customer-orders/details/CS%20123', 'status=2&status=1&q=a%20b%2Bc'), method: 'GET' };
    await expect(verifySignedRequest(request, deps())).resolves.toMatchObject({ accessKey: AK });
  });

  it('accepts a query value with a space sent form-encoded as + (as URLSearchParams sends it) or as %20', async () => {
    const headers = officialSign({ method: 'GET', path: '/v2/partners/sub-customers', query: { customer: 'Li Lei', tag: 'a+b' } });
    for (const raw of ['customer=Li+Lei&tag=a%2Bb', 'customer=Li%20Lei&tag=a%2Bb']) {
      const request = { ...asReceived(headers, '/v2/partners/sub-customers', raw), method: 'GET' };
      await expect(verifySignedRequest(request, { ...deps() })).resolves.toMatchObject({ accessKey: AK });
    }
  });

  it('produces the same Authorization as the official signer for the same request and date', () => {
    const body = { offset: 0, limit: 10 };
    const official = officialSign({ method: 'POST', path: '/v2/partners/sub-customers/query', body });
    const ours = signRequest(
      { method: 'POST', url: '/v2/partners/sub-customers/query', headers: { 'Content-Type': 'application/json', host: HOST }, body: JSON.stringify(body) },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(ours.Authorization).toBe(official.Authorization);
    expect(ours['X-Sdk-Date']).toBe('20261122T101500Z');
  });
});

describe('verifying a signed request', () => {
  const path = '/v2/partners/sub-customers/query';
  const body = { offset: 0, limit: 10 };
  const signed = () => ({ ...asReceived(officialSign({ method: 'POST', path, body }), path, '', body), method: 'POST' });

  it('refuses a tampered body', async () => {
    const request = { ...signed(), body: Buffer.from(JSON.stringify({ offset: 0, limit: 99 })) };
    await expect(verifySignedRequest(request, deps())).rejects.toMatchObject({ status: 401, errorCode: 'CBC.0150', message: expect.stringMatching(/signature does not match/) });
  });

  it('refuses a tampered query', async () => {
    const request = { ...signed(), rawQuery: 'limit=100' };
    await expect(verifySignedRequest(request, deps())).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a signature made with another secret key', async () => {
    await expect(verifySignedRequest(signed(), deps('another-secret'))).rejects.toMatchObject({ status: 401 });
  });

  it('refuses an unknown access key without revealing anything about keys', async () => {
    const request = signed();
    request.headers.authorization = request.headers.authorization.replace(AK, 'UNKNOWNAK00000000000');
    await expect(verifySignedRequest(request, deps())).rejects.toThrow('Unknown or revoked access key.');
  });

  it('refuses a date 16 minutes old or 16 minutes ahead', async () => {
    for (const offsetMs of [16 * 60_000, -16 * 60_000]) {
      const late = { ...deps(), now: () => new Date(NOW.getTime() + offsetMs) };
      await expect(verifySignedRequest(signed(), late)).rejects.toThrow(/15 minutes/);
    }
  });

  it('accepts a date 14 minutes old', async () => {
    await expect(verifySignedRequest(signed(), { ...deps(), now: () => new Date(NOW.getTime() + 14 * 60_000) })).resolves.toMatchObject({ accessKey: AK });
  });

  it('leaves a repeated signature to the caller: the same signature and body digest both times, the whole 30-minute window', async () => {
    const d = deps();
    const first = await verifySignedRequest(signed(), d);
    const again = await verifySignedRequest(signed(), d);
    expect(again).toEqual(first);
    expect(first).toEqual({
      accessKey: AK,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      bodyDigest: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
      replayWindowSeconds: 1800,
    });
  });

  it('insists that host and X-Sdk-Date are signed', async () => {
    const request = signed();
    request.headers.authorization = request.headers.authorization.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type;x-sdk-date');
    await expect(verifySignedRequest(request, deps())).rejects.toThrow('The host header must be signed.');
  });

  it('explains a missing or malformed Authorization header', async () => {
    const request = signed();
    delete (request.headers as Record<string, string | undefined>).authorization;
    await expect(verifySignedRequest(request, deps())).rejects.toThrow(/Missing Authorization/);
    await expect(verifySignedRequest({ ...signed(), headers: { ...signed().headers, authorization: 'Basic abc' } }, deps())).rejects.toThrow(/Unsupported signing algorithm/);
    await expect(verifySignedRequest({ ...signed(), headers: { ...signed().headers, authorization: 'SDK-HMAC-SHA256 nonsense' } }, deps())).rejects.toThrow(/Malformed/);
  });

  it('refuses an unsigned payload with a body', async () => {
    const request = signed();
    request.headers['x-sdk-content-sha256'] = 'UNSIGNED-PAYLOAD';
    await expect(verifySignedRequest(request, deps())).rejects.toThrow(/UNSIGNED-PAYLOAD/);
  });
});
