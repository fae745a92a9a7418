import { CliError } from '../api-client';
import { parseTiers, termsOf } from './incentive.command';

describe('settle incentive policy options', () => {
  it('read progressive tiers as up_to:rate pairs, an empty bound being the open last tier', () => {
    expect(parseTiers('100000:0.02, 500000:0.04,:0.06')).toEqual([
      { up_to: '100000', rate: '0.02' },
      { up_to: '500000', rate: '0.04' },
      { up_to: null, rate: '0.06' },
    ]);
    expect(() => parseTiers('100000')).toThrow(CliError);
  });

  it('turn options into the operator API’s policy terms, refusing a flat rate and tiers at once', () => {
    expect(termsOf({ name: 'P', kinds: 'reseller,distributor', serviceTypes: 'hws.service.type.ec2', rate: '0.05', cap: '1000.00', discountAllowed: true, effectiveFrom: '2025-01' })).toEqual({
      name: 'P',
      partner_kinds: ['reseller', 'distributor'],
      service_type_codes: ['hws.service.type.ec2'],
      rate: { type: 'flat', rate: '0.05' },
      cap: '1000.00',
      discount_allowed: true,
      effective_from: '2025-01',
    });
    expect(() => termsOf({ rate: '0.05', tiers: ':0.06' })).toThrow(CliError);
  });
});
