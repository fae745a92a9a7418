import { resolveRoute, UpstreamService } from './route-table';

const urls: Record<UpstreamService, string> = {
  'customer-service': 'http://c',
  'billing-service': 'http://b',
  'incentive-service': 'http://i',
  'invoice-service': 'http://v',
  'marketplace-service': 'http://m',
};

describe('the gateway route table', () => {
  it('sends partner API paths to the service that owns the function', () => {
    expect(resolveRoute('/v2/partners/sub-customers/query', urls)).toMatchObject({ service: 'customer-service', audience: 'partner' });
    expect(resolveRoute('/v2/bills/partner-bills/postpaid-bill-summary', urls)).toMatchObject({ service: 'billing-service' });
    expect(resolveRoute('/v3/accounts/partner-accounts/adjust-records', urls)).toMatchObject({ service: 'billing-service' });
    expect(resolveRoute('/v2/products/incentive-discount-policies', urls)).toMatchObject({ service: 'incentive-service' });
  });

  it('matches whole path segments only', () => {
    expect(resolveRoute('/v2/billsX', urls)).toBeUndefined();
    expect(resolveRoute('/v2/partners/sub-customers-evil', urls)).toBeUndefined();
  });

  it('marks operator paths as operator-only and never routes internal paths', () => {
    expect(resolveRoute('/operator/partners', urls)).toMatchObject({ service: 'customer-service', audience: 'operator', baseUrl: 'http://c' });
    expect(resolveRoute('/internal/credentials/AK', urls)).toBeUndefined();
  });
});
