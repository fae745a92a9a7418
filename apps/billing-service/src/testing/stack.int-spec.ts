import { waitFor } from '@settle/testing';
import { BillingStack, startBillingStack } from './billing-stack';

let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack();
}, 180_000);
afterAll(() => stack?.close(), 60_000);

describe('the billing-service test stack', () => {
  it('runs billing behind the real gateway with customer-service beside it, feeding its ownership projection', async () => {
    const partner = await stack.createPartner();
    const customerId = await stack.associate(partner.partner_id);
    const owner = await waitFor(async () => {
      const res = await stack.operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId } });
      return res.status === 200 ? res.body : undefined;
    }, 'billing to learn the association');
    expect(owner).toMatchObject({ customer_id: customerId, partner_id: partner.partner_id, association_type: 2 });
  });
});
