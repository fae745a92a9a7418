import { parseRequestTarget } from './request-target';

describe('the request target the gateway routes and forwards', () => {
  it('keeps path and query exactly as sent, percent-encoding and all', () => {
    expect(parseRequestTarget('/v2/bills/partner-bills/x?limit=10&q=a+b%20c')).toEqual({ path: '/v2/bills/partner-bills/x', query: 'limit=10&q=a+b%20c' });
    expect(parseRequestTarget('/v2/orders/CS%20123')).toEqual({ path: '/v2/orders/CS%20123', query: '' });
    expect(parseRequestTarget('/v2/bills/a..b/...')).toEqual({ path: '/v2/bills/a..b/...', query: '' });
    expect(parseRequestTarget("/v2/x/a-b_c~d!$&'()*+,;=:@")).toEqual({ path: "/v2/x/a-b_c~d!$&'()*+,;=:@", query: '' });
    expect(parseRequestTarget('/v2/bills?next=../x')).toEqual({ path: '/v2/bills', query: 'next=../x' });
  });

  it.each([
    ['/v2/bills/../../internal/credentials/AK', /dot-segment/],
    ['/v2/bills/./x', /dot-segment/],
    ['/v2/bills/..', /dot-segment/],
    ['/v2/bills/%2e%2e/%2E%2e/internal/credentials/AK', /dot-segment/],
    ['/v2/bills/.%2E/internal', /dot-segment/],
    ['/v2/bills/%2e', /dot-segment/],
    ['/v2/bills/a%2finternal', /encoded slash/],
    ['/v2/bills/a%2Finternal', /encoded slash/],
    ['/v2/bills/a%5cinternal', /encoded slash/],
    ['/v2/bills\\..\\internal', /backslash/],
    ['/v2/bills/%zz', /not followed by two hex digits/],
    ['/v2/bills/%2', /not followed by two hex digits/],
    ['http://evil.example/v2/bills', /start with \//],
    ['*', /start with \//],
    ['/v2/bills/caf\u00e9', /must be percent-encoded/],
    ['/v2/bills/a"b', /must be percent-encoded/],
    ['/v2/bills/<x>', /must be percent-encoded/],
  ])('refuses %s with 400 CBC.0100', (target, reason) => {
    expect(() => parseRequestTarget(target)).toThrow(expect.objectContaining({ status: 400, errorCode: 'CBC.0100', message: expect.stringMatching(reason) }));
  });
});
