import { issueOperatorToken } from '@settle/auth';
import { faultOf, liveRoutes, malformedRequests, rawCaller } from '@settle/service-kit/testing';
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
    const routes = liveRoutes(stack.app).filter((r) => r.audience !== 'public');
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /v2/partners/sub-customers', 'GET /operator/notifications', 'GET /internal/credentials/:accessKey']));
    const partner = await stack.createPartner();
    const token = issueOperatorToken({ subject: 'malformed-input', roles: ['admin'], ttlSeconds: 3600 }, String(stack.secrets.OPERATOR_TOKEN_SECRET));
    const port = (stack.app.getHttpServer().address() as { port: number }).port;
    const send = rawCaller(stack, partner, token, `http://127.0.0.1:${port}`);
    const faults: string[] = [];
    let sent = 0;
    const unauthenticated: string[] = [];
    for (const route of routes) {
      for (const request of malformedRequests(route)) {
        const answer = await send(route, request);
        const fault = faultOf(answer);
        sent += 1;
        if (answer.status === 401) unauthenticated.push(`${route.method} ${route.path} ${request.label}`);
        if (fault) faults.push(`${route.method} ${route.path} (${route.audience}) ${request.label}: ${fault}`);
      }
    }
    expect(faults).toEqual([]);
    // Each request reached the service: none was turned away before it (a signature the gateway refused).
    expect(unauthenticated).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length * 10);
  }, 600_000);
});
