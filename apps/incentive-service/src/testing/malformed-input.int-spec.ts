import { walkMalformedInput } from '@settle/service-kit/testing';
import { IncentiveStack, startIncentiveStack } from './incentive-stack';

let stack: IncentiveStack;
beforeAll(async () => {
  stack = await startIncentiveStack({}, { withBilling: false });
}, 180_000);
afterAll(() => stack?.close(), 60_000);

/**
 * Every caller mistake is a 4xx: each route incentive-service serves (read from its controllers)
 * gets malformed ids, bodies and queries as its callers reach it; none may answer 5xx, and every
 * refusal is in the API's error shape.
 */
describe('incentive-service under malformed input', () => {
  it('answers every malformed id, body and query of every route with a 4xx in the error shape, never a 5xx', async () => {
    const partner = await stack.createPartner({ certification_status: 'certified' });
    await stack.knowsPartner(partner.partner_id);
    const walk = await walkMalformedInput(stack, partner);
    expect(walk.routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /v2/products/incentive-discount-policies', 'POST /v2/incentives/payout-applications']));
    expect(walk.faults).toEqual([]);
    expect(walk.unauthenticated).toEqual([]);
    expect(walk.sent).toBeGreaterThan(walk.routes.length * 10);
  }, 600_000);
});
