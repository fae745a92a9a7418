import { SplitBillIssuedV1, StatementGeneratedV1, StatementSplitSectionAttachedV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { BillingStack, startBillingStack, usageRecord } from '../testing/billing-stack';
import { ExternalEvents, externalEvents } from '../testing/external-events';

/**
 * The split section of reconciliation statements (issue 12): marketplace split bills from their
 * event on the real broker enter the partner's statement as a new revision, whichever arrives
 * first; one that arrives after its cycle's statement was confirmed waits for the next statement;
 * each entry is announced with the revision that first shows it.
 */
let stack: BillingStack;
let external: ExternalEvents;
beforeAll(async () => {
  stack = await startBillingStack();
  external = await externalEvents(stack);
}, 180_000);
afterAll(async () => {
  await external?.close();
  await stack?.close();
}, 60_000);

const splitBill = (partnerId: string, cycle: string, partnerAmount: string) => ({
  split_bill_id: randomUUID(),
  partner_id: partnerId,
  bill_cycle: cycle,
  currency: 'CNY',
  order_amount: '100.00',
  platform_amount: '10.00',
  seller_amount: '70.00',
  partner_amount: partnerAmount,
  order_count: 1,
  refund_count: 0,
  issued_at: new Date().toISOString(),
});

async function billed(partnerId: string, customer: string, cycle: string) {
  await stack.ingest([usageRecord(customer, { occurred_at: `${cycle}-10T00:00:00.000Z`, bill_cycle: cycle, official_amount: '40.00' })]);
  await stack.operator('POST', `/operator/billing/cycles/${cycle}/close`);
  const started = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: cycle } });
  await waitFor(async () => ((await stack.operator('GET', `/operator/billing/bill-runs/${started.body.run_id}`)).body.status === 'completed' ? true : undefined), `the bill run of ${cycle}`);
  const generated = await stack.waitForEvent(StatementGeneratedV1, (d) => d.partner_id === partnerId && d.bill_cycle === cycle);
  return generated.data.statement_id as string;
}

it('puts a split bill into the statement as a new revision, and one that arrives after the confirmation into the next statement', async () => {
  const partner = await stack.createPartner({ kind: 'solution-provider' });
  await stack.operator('PUT', `/operator/billing/split-programs/${partner.partner_id}`, { body: { program: 'strict-selection' } });
  const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2025-01-01T00:00:00.000Z' });
  await stack.owned(customer, partner.partner_id, '2025-06-10T00:00:00.000Z');

  // The split bill first: it waits until the statement of its cycle is generated.
  const june = splitBill(partner.partner_id, '2025-06', '12.34');
  await external.publish(SplitBillIssuedV1, june, { key: partner.partner_id });
  const statementId = await billed(partner.partner_id, customer, '2025-06');
  const attached = await stack.waitForEvent(StatementSplitSectionAttachedV1, (d) => d.split_bill_id === june.split_bill_id);
  expect(attached.data).toMatchObject({ statement_id: statementId, bill_cycle: '2025-06', revision: 2, partner_amount: '12.34' });
  const call = stack.partner(partner);
  const detail = await call('GET', `/v2/bills/statements/${statementId}`);
  expect(detail.body).toMatchObject({
    revision: 2,
    status: 'pending',
    split_section: { partner_amount: '12.34', split_bills: [{ split_bill_id: june.split_bill_id, partner_amount: '12.34', from_revision: 2 }] },
  });
  expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['generated', 'split-section-attached']);
  // The revision the partner read before the split bill entered no longer is the statement.
  expect(await call('POST', `/v2/bills/statements/${statementId}/confirm`, { body: { revision: 1 } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
  expect(await call('POST', `/v2/bills/statements/${statementId}/confirm`, { body: { revision: 2 } })).toMatchObject({ status: 200, body: { status: 'confirmed' } });

  // Delivered again: nothing changes. A late split bill of June waits for July's statement.
  await external.publish(SplitBillIssuedV1, june, { key: partner.partner_id });
  const late = splitBill(partner.partner_id, '2025-06', '1.00');
  await external.publish(SplitBillIssuedV1, late, { key: partner.partner_id });
  await waitFor(async () => (await stack.dataSource.query('SELECT 1 FROM statement_split_sections WHERE split_bill_id = $1', [late.split_bill_id])).length === 1, 'the late split bill received');
  expect(await stack.dataSource.query('SELECT statement_id FROM statement_split_sections WHERE split_bill_id = $1', [late.split_bill_id])).toEqual([{ statement_id: null }]);
  const july = await billed(partner.partner_id, customer, '2025-07');
  const lateAttached = await stack.waitForEvent(StatementSplitSectionAttachedV1, (d) => d.split_bill_id === late.split_bill_id);
  expect(lateAttached.data).toMatchObject({ statement_id: july, bill_cycle: '2025-07', split_bill_cycle: '2025-06', revision: 2 });
  expect(stack.events().filter((e) => e.type === StatementSplitSectionAttachedV1.type && (e.data as { split_bill_id: string }).split_bill_id === june.split_bill_id)).toHaveLength(1);
  expect((await call('GET', `/v2/bills/statements/${statementId}`, { query: { again: '1' } })).body.split_section.split_bills).toHaveLength(1);

  // Another partner sees none of it.
  const other = await stack.createPartner({ kind: 'solution-provider' });
  expect(await stack.partner(other)('GET', `/v2/bills/statements/${statementId}`)).toMatchObject({ status: 404 });
});
