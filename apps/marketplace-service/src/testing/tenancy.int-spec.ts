import { offlineEnv, walkMalformedInput } from '@settle/service-kit/testing';
import { ApiResponse, PartnerCredentials, waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { MarketplaceService } from '../marketplace-service';
import { MarketplaceStack, startMarketplaceStack } from './marketplace-stack';

/**
 * The tenancy proof for marketplace-service: every partner route, called as partner B (another
 * program partner) with partner A's ids. By-id routes are refused (403/404 in the error shape);
 * list routes answer nothing of A's. The table is keyed by the route walk, so a new partner route
 * without a row fails the first test. Then every route under malformed input: never a 5xx.
 */
let stack: MarketplaceStack;
beforeAll(async () => {
  stack = await startMarketplaceStack({ billing: false });
}, 180_000);
afterAll(() => stack?.close(), 60_000);

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  expect: 'refused' | 'nothing';
}
interface World {
  product: string;
  bill: string;
  task: string;
}
const refused = (method: string, path: string, body?: unknown): Probe => ({ method, path, body, expect: 'refused' });
const nothing = (method: string, path: string, body?: unknown, query?: Record<string, string>): Probe => ({ method, path, body, query, expect: 'nothing' });
const M = '/v2/marketplace';

const TABLE: Record<string, (w: World) => Probe[]> = {
  [`GET ${M}/products`]: () => [nothing('GET', `${M}/products`)],
  [`GET ${M}/products/:product_id/quotes`]: (w) => [nothing('GET', `${M}/products/${w.product}/quotes`)],
  [`POST ${M}/products/:product_id/referral-links`]: (w) => [nothing('POST', `${M}/products/${w.product}/referral-links`, {})],
  [`GET ${M}/referral-links`]: () => [nothing('GET', `${M}/referral-links`)],
  [`GET ${M}/split-bills`]: () => [nothing('GET', `${M}/split-bills`, undefined, { bill_cycle: '2026-10' })],
  [`GET ${M}/split-bills/:split_bill_id`]: (w) => [refused('GET', `${M}/split-bills/${w.bill}`)],
  [`POST ${M}/split-bills/:split_bill_id/export-tasks`]: (w) => [refused('POST', `${M}/split-bills/${w.bill}/export-tasks`, {})],
  [`GET ${M}/export-tasks`]: () => [nothing('GET', `${M}/export-tasks`)],
  [`GET ${M}/export-tasks/:task_id`]: (w) => [refused('GET', `${M}/export-tasks/${w.task}`)],
  [`GET ${M}/export-tasks/:task_id/file`]: (w) => [refused('GET', `${M}/export-tasks/${w.task}/file`)],
};

const partnerRoutes = MarketplaceService.routes(offlineEnv()).filter((r) => r.access === 'partner');

describe('marketplace-service tenancy', () => {
  it('has a row for every partner route, and every partner route names a permission', () => {
    expect(Object.keys(TABLE).sort()).toEqual(partnerRoutes.map((r) => `${r.method} ${r.path}`).sort());
    expect(partnerRoutes.filter((r) => r.permissions.length === 0)).toEqual([]);
  });

  it('refuses partner B everything of partner A, and changes nothing of it', async () => {
    const a = await stack.createPartner({ kind: 'solution-provider' });
    const b = await stack.createPartner({ kind: 'distributor' });
    await stack.knowsPartner(a.partner_id);
    await stack.knowsPartner(b.partner_id);
    const product = `t-${randomUUID().slice(0, 8)}`;
    expect((await stack.operator('POST', '/operator/marketplace/products', { body: { product_id: product, name: 'T', category: 'tenancy', seller_id: 'isv', currency: 'CNY' } })).status).toBe(201);
    const asA = stack.partner(a);
    const link = await asA('POST', `${M}/products/${product}/referral-links`, { body: { valid_days: 7 } });
    // A's split bill and its line, arranged in the database (the settlement spec makes them through the whole flow).
    const bill = randomUUID();
    await stack.dataSource.query(
      `INSERT INTO split_bills (id, partner_id, bill_cycle, currency, order_amount_minor, platform_minor, seller_minor, partner_minor, order_count, refund_count, status, issued_at)
       VALUES ($1, $2, '2026-10', 'CNY', 7777, 777, 5000, 2000, 1, 0, 'issued', now())`,
      [bill, a.partner_id],
    );
    await stack.dataSource.query(
      `INSERT INTO orders (order_id, product_id, customer_id, amount_minor, currency, paid_at, partner_id, referral_status, rule_id, platform_minor, seller_minor, partner_minor, refunded_minor, bill_cycle, split_bill_id, source, received_at)
       VALUES ($1, $2, 'cust-secret', 7777, 'CNY', '2026-10-05T00:00:00Z', $3, 'attributed', $4, 777, 5000, 2000, 0, '2026-10', $5, 'http', now())`,
      [`ord-${bill}`, product, a.partner_id, randomUUID(), bill],
    );
    const task = (await asA('POST', `${M}/split-bills/${bill}/export-tasks`, { body: {} })).body.task_id as string;
    let poll = 0;
    await waitFor(async () => (await asA('GET', `${M}/export-tasks/${task}`, { query: { p: String(poll++) } })).body.status === 'succeeded', 'A’s export');
    expect((await asA('GET', `${M}/split-bills/${bill}`)).body).toMatchObject({ partner_amount: '20.00', lines: [{ order_id: `ord-${bill}` }] });
    const world: World = { product, bill, task };

    const secrets = [a.partner_id, a.access_key, bill, task, link.body.link_id, link.body.referral_token, 'cust-secret', '77.77'];
    const failures: unknown[] = [];
    const check = (probe: Probe, res: ApiResponse) => {
      const sent = JSON.stringify([probe.path, probe.body, probe.query]);
      const leaked = secrets.filter((s) => !sent.includes(s) && JSON.stringify(res.body ?? '').includes(s));
      const shaped = typeof res.body?.error_code === 'string' && typeof res.body?.error_msg === 'string';
      const ok = probe.expect === 'refused' ? [403, 404].includes(res.status) && shaped && leaked.length === 0 : res.status < 500 && leaked.length === 0;
      if (!ok) failures.push({ route: `${probe.method} ${probe.path}`, status: res.status, leaked, body: res.body });
    };
    const asB = stack.partner(b as PartnerCredentials);
    for (const row of Object.values(TABLE)) for (const probe of row(world)) check(probe, await asB(probe.method, probe.path, { body: probe.body, query: probe.query }));
    expect(failures).toEqual([]);
    expect(await stack.dataSource.query(`SELECT status, statement_id FROM split_bills WHERE id = $1`, [bill])).toEqual([{ status: 'issued', statement_id: null }]);
    expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM export_tasks WHERE split_bill_id = $1`, [bill])).toEqual([{ n: 1 }]);
  }, 120_000);

  it('answers every malformed id, body and query of every route with a 4xx in the error shape, never a 5xx', async () => {
    const partner = await stack.createPartner({ kind: 'solution-provider' });
    await stack.knowsPartner(partner.partner_id);
    const walk = await walkMalformedInput(stack, partner);
    expect(walk.routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /operator/marketplace/orders/batch', 'GET /v2/marketplace/split-bills/:split_bill_id']));
    expect(walk.faults).toEqual([]);
    expect(walk.unauthenticated).toEqual([]);
    expect(walk.sent).toBeGreaterThan(walk.routes.length * 10);
  }, 600_000);
});
