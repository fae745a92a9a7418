import { walkMalformedInput } from '@settle/service-kit/testing';
import { CustomerStack, startCustomerStack } from './customer-stack';

let stack: CustomerStack;
beforeAll(async () => {
  stack = await startCustomerStack();
}, 120_000);
afterAll(() => stack?.close(), 60_000);

/**
 * Every caller mistake is a 4xx: each route the running service serves (read from its controllers,
 * so a new route joins by itself) gets malformed ids, bodies and queries, as its callers reach it.
 * None may answer 5xx, and every refusal is in the API's error shape.
 */
describe('customer-service under malformed input', () => {
  it('answers every malformed id, body and query of every route with a 4xx in the error shape, never a 5xx', async () => {
    const walk = await walkMalformedInput(stack, await stack.createPartner());
    expect(walk.routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /v2/partners/sub-customers', 'GET /operator/notifications', 'GET /internal/credentials/:accessKey']));
    expect(walk.faults).toEqual([]);
    // Each request reached the service: none was turned away before it (a signature the gateway refused).
    expect(walk.unauthenticated).toEqual([]);
    expect(walk.sent).toBeGreaterThan(walk.routes.length * 10);
  }, 600_000);
});
