import { offlineEnv } from '@settle/service-kit/testing';
import { ApiResponse } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { IncentiveService } from '../incentive-service';
import { IncentiveStack, startIncentiveStack } from './incentive-stack';

/**
 * The tenancy proof for incentive-service: every partner route, called as partner B with partner
 * A's ids (in paths, bodies and filters). By-id routes are refused (403/404 in the error shape);
 * list and own-data routes answer nothing of A's. The table is keyed by the route walk: a new
 * partner route without a row fails the first test.
 */
let stack: IncentiveStack;
beforeAll(async () => {
  stack = await startIncentiveStack({}, { withBilling: false });
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
  notice: string;
  application: string;
  benefit: string;
}
const refused = (method: string, path: string, body?: unknown, query?: Record<string, string>): Probe => ({ method, path, body, query, expect: 'refused' });
const nothing = (method: string, path: string, body?: unknown, query?: Record<string, string>): Probe => ({ method, path, body, query, expect: 'nothing' });
const I = '/v2/incentives';

const TABLE: Record<string, (w: World) => Probe[]> = {
  [`GET ${I}/policies`]: () => [nothing('GET', `${I}/policies`, undefined, { period: '2025-02' })],
  'GET /v2/products/incentive-discount-policies': () => [nothing('GET', '/v2/products/incentive-discount-policies', undefined, { time: '2025-02-10T00:00:00Z' })],
  [`GET ${I}/notices`]: () => [nothing('GET', `${I}/notices`), nothing('GET', `${I}/notices`, undefined, { period: '2025-02' })],
  [`GET ${I}/notices/:notice_id`]: (w) => [refused('GET', `${I}/notices/${w.notice}`)],
  [`POST ${I}/payout-applications`]: (w) => [refused('POST', `${I}/payout-applications`, { notice_id: w.notice, method: 'voucher' })],
  [`GET ${I}/payout-applications`]: () => [nothing('GET', `${I}/payout-applications`)],
  [`GET ${I}/payout-applications/:application_id`]: (w) => [refused('GET', `${I}/payout-applications/${w.application}`)],
  [`GET ${I}/voucher-credits`]: () => [nothing('GET', `${I}/voucher-credits`)],
  [`POST ${I}/special-benefits`]: () => [nothing('POST', `${I}/special-benefits`, { benefit_type: 'NRE', project_name: 'B’s own', business_value: 'x', requested_amount: '1.00' })],
  [`GET ${I}/special-benefits`]: () => [nothing('GET', `${I}/special-benefits`)],
  [`GET ${I}/special-benefits/:application_id`]: (w) => [refused('GET', `${I}/special-benefits/${w.benefit}`)],
};

const partnerRoutes = IncentiveService.routes(offlineEnv()).filter((r) => r.access === 'partner' && r.permissions.length > 0);

describe('incentive-service tenancy', () => {
  it('has a row for every partner route the walk finds', () => {
    expect(Object.keys(TABLE).sort()).toEqual(partnerRoutes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('refuses partner B everything of partner A, and changes nothing of it', async () => {
    const a = await stack.createPartner({ certification_status: 'certified' });
    const b = await stack.createPartner({ certification_status: 'certified' });
    await stack.knowsPartner(a.partner_id, (r) => r.certification_status === 'certified');
    await stack.knowsPartner(b.partner_id, (r) => r.certification_status === 'certified');
    // A's notice, as a notice run writes it (the run itself is proved in notices.int-spec).
    const notice = randomUUID();
    await stack.dataSource.query(
      `INSERT INTO notices (id, partner_id, period, currency, total_minor, earned_line_count, adjustment_line_count, status, run_id, issued_at) VALUES ($1, $2, '2025-02', 'CNY', 77777, 1, 0, 'issued', $3, now())`,
      [notice, a.partner_id, randomUUID()],
    );
    await stack.dataSource.query(
      `INSERT INTO notice_lines (notice_id, line_no, partner_id, kind, period, policy_id, policy_code, policy_version, service_type_code, eligible_minor, incentive_minor, source_refs)
       VALUES ($1, 1, $2, 'earned', '2025-02', $3, 'SECRET-POLICY', 1, 'hws.service.type.ec2', 7777700, 77777, ARRAY['bill:secret'])`,
      [notice, a.partner_id, randomUUID()],
    );
    const adminA = stack.partner(a);
    const applied = await adminA('POST', `${I}/payout-applications`, { body: { notice_id: notice, method: 'voucher' } });
    expect(applied.status).toBe(201);
    const benefit = await adminA('POST', `${I}/special-benefits`, { body: { benefit_type: 'FH', period: '2025-02', staff: [{ name: 'Zhang San', role: 'engineer' }] } });
    expect(benefit.status).toBe(201);
    const world: World = { notice, application: applied.body.application_id, benefit: benefit.body.application_id };
    // A sees its own.
    expect((await adminA('GET', `${I}/notices/${notice}`)).body).toMatchObject({ total_amount: '777.77' });
    expect((await adminA('GET', `${I}/voucher-credits`)).body.total_count).toBe(1);

    const secrets = [a.partner_id, a.access_key, notice, world.application, world.benefit, applied.body.payout_id, '777.77', 'SECRET-POLICY', 'Zhang San'];
    const failures: unknown[] = [];
    let checked = 0;
    const check = (probe: Probe, res: ApiResponse) => {
      checked += 1;
      const sent = JSON.stringify([probe.path, probe.body, probe.query]);
      const leaked = secrets.filter((s) => !sent.includes(s) && JSON.stringify(res.body ?? '').includes(s));
      const shaped = typeof res.body?.error_code === 'string' && typeof res.body?.error_msg === 'string';
      const ok = probe.expect === 'refused' ? [403, 404].includes(res.status) && shaped && leaked.length === 0 : res.status < 500 && leaked.length === 0;
      if (!ok) failures.push({ route: `${probe.method} ${probe.path}`, status: res.status, leaked, body: res.body });
    };
    const asB = stack.partner(b);
    for (const row of Object.values(TABLE)) for (const probe of row(world)) check(probe, await asB(probe.method, probe.path, { body: probe.body, query: probe.query }));
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(12);

    // None reached A's data: one application (A's), A's notice as A left it.
    expect(await stack.dataSource.query(`SELECT partner_id FROM payout_applications WHERE notice_id = $1`, [notice])).toEqual([{ partner_id: a.partner_id }]);
    expect(await stack.dataSource.query(`SELECT status, total_minor FROM notices WHERE id = $1`, [notice])).toEqual([{ status: 'paid', total_minor: '77777' }]);
    expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM benefit_applications WHERE partner_id = $1`, [a.partner_id])).toEqual([{ n: 1 }]);
  }, 120_000);
});
