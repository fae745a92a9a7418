import { PartnerCouponIssuedV1, PartnerCouponReclaimedV1 } from '@settle/contracts';
import { PartnerCredentials } from '@settle/testing';
import { BillingStack, startBillingStack } from '../testing/billing-stack';

/**
 * Vouchers a partner issues to its own customers from its voucher quota (the partner API's partner
 * coupons) on the real stack: the quota pays each face value and gets a reclaimed voucher's balance
 * back, in the same transaction as the coupon, its record and its event; the quota's balance stays
 * re-derivable from its records. The end-to-end SDK calls are in apps/sdk-contract.
 */
type Partner = PartnerCredentials & { partner_id: string };
let stack: BillingStack;
let reseller: Partner;
let other: Partner;
let call: ReturnType<BillingStack['partner']>;
let quotaId: string;
let mine: string;
let theirs: string;
let seq = 0;
// Identical signed requests within a second are one request; a changing parameter keeps reads apart.
const n = () => ({ n: String(++seq) });

async function balance(): Promise<string> {
  const res = await call('POST', '/v2/partners/coupon-quotas/query', { body: { quota_ids: [quotaId] } , query: n() });
  expect(res.status).toBe(200);
  return res.body.quotas[0].balance;
}

beforeAll(async () => {
  stack = await startBillingStack();
  reseller = await stack.createPartner({ kind: 'reseller' });
  other = await stack.createPartner({ kind: 'reseller' });
  for (const p of [reseller, other]) await stack.knowsPartner(p.partner_id);
  const granted = await stack.operator('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: reseller.partner_id, quota_amount: '100.00' } });
  expect(granted.status).toBe(201);
  quotaId = granted.body.quota_id;
  mine = await stack.associate(reseller.partner_id);
  theirs = await stack.associate(other.partner_id);
  await stack.owned(mine, reseller.partner_id, new Date().toISOString());
  await stack.owned(theirs, other.partner_id, new Date().toISOString());
  call = stack.partner(reseller);
}, 180_000);
afterAll(() => stack?.close(), 60_000);

describe('partner coupons', () => {
  it("issues to the partner's own customers only, pays the quota exactly, and reclaims the balance back to it", async () => {
    const issued = await call('POST', '/v2/promotions/benefits/partner-coupons', { body: { quota_id: quotaId, customer_ids: [mine, theirs], face_value: 30.25, memo: 'welcome' } });
    expect(issued.status).toBe(200);
    expect(issued.body.error_details).toEqual([{ id: theirs, error_code: 'CBC.0101', error_msg: `Customer ${theirs} is not one of your customers.` }]);
    expect(issued.body.coupon_infos).toEqual([{ id: mine, coupon_id: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    const couponId = issued.body.coupon_infos[0].coupon_id as string;
    expect(await balance()).toBe('69.75');
    const event = await stack.waitForEvent(PartnerCouponIssuedV1, (e) => e.coupon_id === couponId);
    expect(event.data).toMatchObject({ partner_id: reseller.partner_id, customer_id: mine, quota_id: quotaId, face_value: '30.25', quota_balance_after: '69.75', currency: 'CNY' });

    const listed = await call('GET', '/v2/promotions/benefits/partner-coupons', { query: { customer_id: mine } });
    expect(listed.body).toMatchObject({ total_count: 1, user_coupons: [{ coupon_id: couponId, status: 2, coupon_type: 1, face_value: '30.25', balance: '30.25', memo: 'welcome' }] });
    const asCustomers = await call('GET', '/v2/promotions/benefits/coupons', { query: { coupon_id: couponId } });
    expect(asCustomers.body).toMatchObject({ count: 1, user_coupons: [{ coupon_id: couponId, customer_id: mine, face_value: 30.25, balance: 30.25, currency: 'CNY', source_id: reseller.partner_id }] });

    const reclaimed = await call('POST', '/v2/promotions/benefits/partner-coupons/reclaim', { body: { coupon_id: couponId } });
    expect(reclaimed.body).toEqual({ coupon_id: couponId, reclaimed_amount: '30.25', quota_balance: '100.00' });
    expect(await balance()).toBe('100.00');
    expect((await stack.waitForEvent(PartnerCouponReclaimedV1, (e) => e.coupon_id === couponId)).data).toMatchObject({ amount: '30.25', quota_balance_after: '100.00' });
    const again = await call('POST', '/v2/promotions/benefits/partner-coupons/reclaim', { body: { coupon_id: couponId }, query: n() });
    expect(again).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
    expect((await call('GET', '/v2/promotions/benefits/partner-coupons', { query: { status: '5' } })).body.total_count).toBe(1);

    const records = await call('GET', '/v2/promotions/benefits/partner-coupons/records/query', { query: { coupon_ids: couponId } });
    expect(records.body.records.map((r: Record<string, string>) => [r.operation_type, r.operation_amount, r.quota_id, r.customer_id]).sort()).toEqual([
      ['1', '30.25', quotaId, mine],
      ['2', '30.25', quotaId, mine],
    ]);
    // The quota's books still add up from its records, coupons included.
    expect((await stack.operator('GET', '/operator/billing/coupon-quotas/check', { query: { partner_id: reseller.partner_id } })).body).toMatchObject({ mismatches: [] });
    // Coupon movements are not quota issues to resellers: the quota records API does not list them.
    expect((await call('GET', '/v2/partners/coupon-quotas/records', { query: { quota_id: quotaId } })).body.total_count).toBe(0);
  });

  it('issues nothing when the quota cannot pay every customer, and keeps other partners out', async () => {
    const second = await stack.associate(reseller.partner_id);
    await stack.owned(second, reseller.partner_id, new Date().toISOString());
    const tooMuch = await call('POST', '/v2/promotions/benefits/partner-coupons', { body: { quota_id: quotaId, customer_ids: [mine, second], face_value: '50.01' } });
    expect(tooMuch).toMatchObject({ status: 400, body: { error_code: 'CBC.99000013', error_msg: expect.stringContaining('100.00 CNY left, 100.02 requested (50.01 × 2)') } });
    expect(await balance()).toBe('100.00');

    const issued = await call('POST', '/v2/promotions/benefits/partner-coupons', { body: { quota_id: quotaId, customer_ids: [mine], face_value: '10.00' } });
    const couponId = issued.body.coupon_infos[0].coupon_id as string;
    const outsider = stack.partner(other);
    expect(await outsider('POST', '/v2/promotions/benefits/partner-coupons/reclaim', { body: { coupon_id: couponId } })).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    expect(await outsider('POST', '/v2/promotions/benefits/partner-coupons', { body: { quota_id: quotaId, customer_ids: [theirs], face_value: '1.00' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.99000012' } });
    expect((await outsider('GET', '/v2/promotions/benefits/partner-coupons')).body).toEqual({ total_count: 0, user_coupons: [] });
    expect(await balance()).toBe('90.00');
  });

  it('answers caller mistakes with 400 CBC.0100 naming the field', async () => {
    for (const [body, field] of [
      [{ quota_id: quotaId, customer_ids: [mine], face_value: '1.001' }, 'face_value'],
      [{ quota_id: quotaId, customer_ids: [mine], face_value: '0' }, 'face_value'],
      [{ quota_id: quotaId, customer_ids: [], face_value: '1.00' }, 'customer_ids'],
      [{ quota_id: quotaId, customer_ids: [mine, mine], face_value: '1.00' }, 'customer_ids'],
      [{ quota_id: quotaId, customer_ids: [mine], face_value: '1.00', cloud_service_types: ['hws.service.type.ec2'] }, 'cloud_service_types'],
      [{ quota_id: quotaId, customer_ids: [mine], face_value: '1.00', indirect_partner_id: other.partner_id }, 'indirect_partner_id'],
      [{ quota_id: quotaId, customer_ids: [mine], face_value: '1.00', valid_time: '2030-01-02T00:00:00Z', expire_time: '2030-01-01T00:00:00Z' }, 'expire_time'],
    ] as const) {
      const res = await call('POST', '/v2/promotions/benefits/partner-coupons', { body });
      expect({ field, status: res.status, code: res.body.error_code, names: String(res.body.error_msg).includes(field) }).toEqual({ field, status: 400, code: 'CBC.0100', names: true });
    }
    expect(await call('GET', '/v2/promotions/benefits/partner-coupons', { query: { status: '3' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect(await balance()).toBe('90.00');
  });
});
