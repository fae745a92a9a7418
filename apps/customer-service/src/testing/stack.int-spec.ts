import { CustomerStack, startCustomerStack } from './customer-stack';

let stack: CustomerStack;
beforeAll(async () => {
  stack = await startCustomerStack();
}, 120_000);
afterAll(() => stack?.close(), 60_000);

describe('the customer-service test stack', () => {
  it('signs partner calls with the official SDK signer through the real gateway', async () => {
    const partner = await stack.createPartner({ name: 'Stack check' });
    const res = await stack.partner(partner)('POST', '/v2/partners/sub-customers/query', { body: { offset: 0, limit: 10 } });
    expect(res).toMatchObject({ status: 200, body: { count: 0, customer_infos: [] } });
    const forged = await stack.partner({ ...partner, secret_key: 'wrong' })('POST', '/v2/partners/sub-customers/query', { body: {} });
    expect(forged.status).toBe(401);
  });
});
