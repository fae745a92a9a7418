import { BillGeneratedV1 } from '@settle/contracts';
import { ServiceProcess, freePort, waitFor } from '@settle/testing';
import { BillingStack, startBillingStack, usageRecord } from '../testing/billing-stack';

/**
 * The proof: a bill-generation worker is killed (SIGKILL) in the middle of a run; a new
 * worker finishes it, and every partner ends with exactly one correct final bill, published once.
 * Workers run as separate billing-service processes (BILL_WORKER_ENABLED), the service under test
 * in this process takes no bill jobs.
 */
const PARTNERS = 60;
const CYCLE = '2025-09';

let stack: BillingStack;
const workers: ServiceProcess[] = [];

beforeAll(async () => {
  stack = await startBillingStack({ BILL_WORKER_ENABLED: 'false' });
}, 180_000);

afterAll(async () => {
  for (const w of workers) await w.stop();
  await stack?.close();
}, 90_000);

async function startWorker(): Promise<ServiceProcess> {
  const worker = await new ServiceProcess('billing-service', await freePort(), { ...stack.env, BILL_WORKER_ENABLED: 'true', BILL_WORKER_CONCURRENCY: '2', BILL_JOB_LOCK_MS: '2000' }).start();
  workers.push(worker);
  return worker;
}

async function progressOf(runId: string) {
  const res = await stack.operator('GET', `/operator/billing/bill-runs/${runId}`, { query: { t: String(Date.now()) } });
  expect(res.status).toBe(200);
  return res.body as { status: string; partners_total: number | null; partners_done: number; partners_pending: number; partners_failed: number };
}

it('finishes a run whose worker was killed mid-run with exactly one correct final bill per partner, each published once', async () => {
  // 60 partners, each with a customer and usage of its own (distinct amounts, a refund, a second service).
  const partners: string[] = [];
  const records: Record<string, unknown>[] = [];
  for (let p = 0; p < PARTNERS; p++) {
    const partner = await stack.createPartner();
    const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2025-01-01T00:00:00.000Z' });
    partners.push(partner.partner_id);
    const at = { occurred_at: '2025-09-09T09:00:00.000Z', bill_cycle: CYCLE };
    for (let i = 0; i < 8; i++) records.push(usageRecord(customer, { ...at, official_amount: `${p + 1}.${String(i * 7).padStart(2, '0')}`, resource_id: `vm-${p}-${i}` }));
    records.push(usageRecord(customer, { ...at, record_type: 'refund', official_amount: '0.99', resource_id: `vm-${p}-0` }));
    records.push(usageRecord(customer, { ...at, service_type_code: 'hws.service.type.obs', official_amount: '3.33', resource_id: `obs-${p}` }));
  }
  await stack.ingest(records);
  // Records of customers whose association billing had not projected yet wait, then get booked.
  await waitFor(async () => {
    const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM rated_lines WHERE bill_cycle = $1`, [CYCLE]);
    return n === records.length ? true : undefined;
  }, 'every record to be rated', { timeoutMs: 60_000, intervalMs: 250 });
  expect((await stack.operator('POST', `/operator/billing/cycles/${CYCLE}/close`)).status).toBe(200);

  const first = await startWorker();
  const started = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: CYCLE } });
  expect(started.body).toMatchObject({ status: 'running', finalize: true });
  const runId = started.body.run_id as string;

  // Kill the worker once some partners are billed and others are not.
  const atKill = await waitFor(async () => {
    const p = await progressOf(runId);
    return p.partners_done >= 3 ? p : undefined;
  }, 'the run to be under way', { timeoutMs: 60_000, intervalMs: 10 });
  await first.kill();
  const afterKill = await progressOf(runId);
  expect(atKill.partners_total).toBe(PARTNERS);
  expect(afterKill.status).toBe('running');
  expect(afterKill.partners_pending).toBeGreaterThan(0);

  // A new worker takes the killed worker's jobs over (after their lock expires) and the rest.
  await startWorker();
  const done = await waitFor(async () => {
    const p = await progressOf(runId);
    return p.status === 'running' ? undefined : p;
  }, 'the run to complete on the new worker', { timeoutMs: 90_000, intervalMs: 250 });
  expect(done).toMatchObject({ status: 'completed', partners_total: PARTNERS, partners_done: PARTNERS, partners_failed: 0, partners_pending: 0 });

  // Exactly one bill per partner, final, and its amount due is the sum of the partner's lines
  // (read independently, straight from the bill lines); the items add up to the bill.
  const bills: { id: string; partner_id: string; status: string; amount_due_minor: string; line_count: number }[] = await stack.dataSource.query(
    `SELECT id, partner_id, status, amount_due_minor, line_count FROM bills WHERE bill_cycle = $1`,
    [CYCLE],
  );
  expect(bills).toHaveLength(PARTNERS);
  expect(new Set(bills.map((b) => b.partner_id))).toEqual(new Set(partners));
  const lines: { partner_id: string; rated: string; n: number }[] = await stack.dataSource.query(
    `SELECT partner_id, sum(rated_amount_minor)::text AS rated, count(*)::int AS n FROM rated_lines WHERE bill_cycle = $1 GROUP BY partner_id`,
    [CYCLE],
  );
  const items: { bill_id: string; due: string }[] = await stack.dataSource.query(`SELECT bill_id, sum(amount_due_minor)::text AS due FROM bill_items GROUP BY bill_id`);
  for (const bill of bills) {
    const own = lines.find((l) => l.partner_id === bill.partner_id)!;
    expect({ partner: bill.partner_id, status: bill.status, due: bill.amount_due_minor, lines: bill.line_count }).toEqual({ partner: bill.partner_id, status: 'final', due: own.rated, lines: 10 });
    expect(items.find((i) => i.bill_id === bill.id)?.due).toBe(bill.amount_due_minor);
  }
  // Partner p's due: Σ_{i<8} (p+1).(7i) − 0.99 + 3.33 = 8(p+1) + 1.96 + 2.34 (no discounts) — e.g. partner 0: 12.30
  const firstPartnerBill = bills.find((b) => b.partner_id === partners[0])!;
  expect(firstPartnerBill.amount_due_minor).toBe('1230');

  // One revision per bill (no partial bill ever committed), one bill.generated per bill.
  const [{ revisions }] = await stack.dataSource.query(`SELECT count(*)::int AS revisions FROM bill_revisions r JOIN bills b ON b.id = r.bill_id WHERE b.bill_cycle = $1`, [CYCLE]);
  expect(revisions).toBe(PARTNERS);
  // The relay is at-least-once: a worker killed between publishing a batch and marking it sent
  // leaves the batch to be published again under the same event ids, which consumers drop (inbox).
  // So "published once" means one event id per bill, never two ids for a bill.
  const eventIdsByBill = () => {
    const ids = new Map<string, Set<string>>();
    for (const e of stack.events().filter((e) => e.type === BillGeneratedV1.type && (e.data as { bill_cycle: string }).bill_cycle === CYCLE)) {
      const billId = (e.data as { bill_id: string }).bill_id;
      ids.set(billId, (ids.get(billId) ?? new Set()).add(e.id));
    }
    return ids;
  };
  await waitFor(() => (eventIdsByBill().size >= PARTNERS ? true : undefined), 'a bill.generated event per bill', { timeoutMs: 30_000 });
  await new Promise((r) => setTimeout(r, 1_000));
  const published = eventIdsByBill();
  expect(new Set(published.keys())).toEqual(new Set(bills.map((b) => b.id)));
  expect([...published.values()].filter((ids) => ids.size !== 1)).toEqual([]);

  // Running the whole cycle again changes nothing: same bills, no revision, no event.
  const again = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: CYCLE } });
  await waitFor(async () => ((await progressOf(again.body.run_id)).status === 'completed' ? true : undefined), 'the second run to complete', { timeoutMs: 60_000 });
  const [{ after }] = await stack.dataSource.query(`SELECT count(*)::int AS after FROM bill_revisions r JOIN bills b ON b.id = r.bill_id WHERE b.bill_cycle = $1`, [CYCLE]);
  expect(after).toBe(PARTNERS);
  await new Promise((r) => setTimeout(r, 1_000));
  const afterRerun = eventIdsByBill();
  expect([...afterRerun.entries()].map(([bill, ids]) => [bill, [...ids]])).toEqual([...published.entries()].map(([bill, ids]) => [bill, [...ids]]));
}, 300_000);
