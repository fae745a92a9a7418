import { walkMalformedInput } from '@settle/service-kit/testing';
import { BillingStack, startBillingStack } from './billing-stack';

let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack();
}, 180_000);
afterAll(() => stack?.close(), 60_000);

/**
 * Every caller mistake is a 4xx: each route the running service serves (read from its controllers,
 * so a new route joins by itself) gets malformed ids, bodies and queries, as its callers reach it.
 * None may answer 5xx, and every refusal is in the API's error shape.
 */
describe('billing-service under malformed input', () => {
  it('answers every malformed id, body and query of every route with a 4xx in the error shape, never a 5xx', async () => {
    const partner = await stack.createPartner();
    // Known to billing, so partner routes get past "who is this partner" to the input itself.
    await stack.knowsPartner(partner.partner_id);
    await stack.associate(partner.partner_id);
    const walk = await walkMalformedInput(stack, partner);
    expect(walk.routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /v2/accounts/partner-accounts/balances', 'POST /v2/accounts/partner-accounts/adjust-amount']));
    expect(walk.faults).toEqual([]);
    expect(walk.unauthenticated).toEqual([]);
    expect(walk.sent).toBeGreaterThan(walk.routes.length * 10);
  }, 900_000);
});
