import { StatementConfirmedV1, StatementDisputedV1, StatementGeneratedV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { BillingStack, startBillingStack, usageRecord } from '../testing/billing-stack';

/**
 * Reconciliation statements on the real stack: a final bill of a partner in a split program makes a
 * statement (through bill.generated on Kafka); the partner confirms or disputes it; only the
 * confirmation is the settlement signal; everything is audited.
 */
let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack();
}, 180_000);
afterAll(() => stack?.close(), 60_000);

const CYCLE = '2025-10';
const at = { occurred_at: '2025-10-10T00:00:00.000Z', bill_cycle: CYCLE };

async function partnerWithUsage(amount: string) {
  const partner = await stack.createPartner({ kind: 'solution-provider' });
  const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2025-01-01T00:00:00.000Z' });
  await stack.owned(customer, partner.partner_id, at.occurred_at);
  await stack.ingest([usageRecord(customer, { ...at, official_amount: amount })]);
  return partner;
}

async function finalBills() {
  await stack.operator('POST', `/operator/billing/cycles/${CYCLE}/close`);
  const started = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: CYCLE } });
  await waitFor(async () => ((await stack.operator('GET', `/operator/billing/bill-runs/${started.body.run_id}`)).body.status === 'completed' ? true : undefined), 'the bill run');
}

it('makes a statement of a split-program partner’s final bill; dispute, reissue and confirmation are revisioned, audited and published', async () => {
  const enrolled = await partnerWithUsage('88.80');
  const outsider = await partnerWithUsage('10.00');
  const enrollment = await stack.operator('PUT', `/operator/billing/split-programs/${enrolled.partner_id}`, { body: { program: 'strict-selection' } });
  expect(enrollment.body).toMatchObject({ partner_id: enrolled.partner_id, program: 'strict-selection' });
  await finalBills();

  const call = stack.partner(enrolled);
  let poll = 0;
  const listed = await waitFor(async () => {
    // Distinct queries: an identical signed request within a second is refused as a replay.
    const res = await call('GET', '/v2/bills/statements', { query: { bill_cycle: CYCLE, limit: String(10 + (poll++ % 90)) } });
    return res.body.total_count === 1 ? res.body.statements[0] : undefined;
  }, 'the statement of the final bill');
  expect(listed).toMatchObject({ partner_id: enrolled.partner_id, bill_cycle: CYCLE, program: 'strict-selection', revision: 1, status: 'pending', currency: 'CNY', bill_amount: '88.80' });
  const id = listed.statement_id as string;
  await stack.waitForEvent(StatementGeneratedV1, (d) => (d as { statement_id: string; revision: number }).statement_id === id);

  // The partner outside split programs gets no statement.
  await new Promise((r) => setTimeout(r, 500));
  expect((await stack.partner(outsider)('GET', '/v2/bills/statements')).body).toEqual({ total_count: 0, statements: [] });

  // Deciding needs the revision read, and a reason for a dispute.
  expect(await call('POST', `/v2/bills/statements/${id}/confirm`, { body: { revision: 3 } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102', error_msg: expect.stringMatching(/revision 1, not 3/) } });
  expect(await call('POST', `/v2/bills/statements/${id}/dispute`, { body: { revision: 1, reason: '  ' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/reason/) } });
  expect(await call('POST', `/v2/bills/statements/${id}/confirm`, { body: {} })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });

  const disputed = await call('POST', `/v2/bills/statements/${id}/dispute`, { body: { revision: 1, reason: 'Order 42 is missing its partner share' } });
  expect(disputed.body).toMatchObject({ status: 'disputed', revision: 1, dispute_reason: 'Order 42 is missing its partner share' });
  await stack.waitForEvent(StatementDisputedV1, (d) => (d as { statement_id: string }).statement_id === id);
  // A disputed statement cannot be confirmed: settlement waits for the operator's answer.
  expect(await call('POST', `/v2/bills/statements/${id}/confirm`, { body: { revision: 1 } })).toMatchObject({ status: 409, body: { error_msg: expect.stringMatching(/already disputed/) } });

  const reissued = await stack.operator('POST', `/operator/billing/statements/${id}/reissue`, { body: { reason: 'Share added in the next cycle; bill stands' } });
  expect(reissued.body).toMatchObject({ status: 'pending', revision: 2 });
  expect(await stack.operator('POST', `/operator/billing/statements/${id}/reissue`, { body: { reason: 'again' } })).toMatchObject({ status: 409 });

  const confirmed = await call('POST', `/v2/bills/statements/${id}/confirm`, { body: { revision: 2 } });
  expect(confirmed.body).toMatchObject({ status: 'confirmed', revision: 2, decided_by: `partner:${enrolled.access_key}` });
  const settlementSignal = await stack.waitForEvent(StatementConfirmedV1, (d) => (d as { statement_id: string }).statement_id === id);
  expect(settlementSignal.data).toMatchObject({ partner_id: enrolled.partner_id, bill_cycle: CYCLE, revision: 2, bill_amount: '88.80', confirmed_by: `partner:${enrolled.access_key}` });
  expect(await call('POST', `/v2/bills/statements/${id}/dispute`, { body: { revision: 2, reason: 'late' } })).toMatchObject({ status: 409, body: { error_msg: expect.stringMatching(/already confirmed/) } });

  const detail = await call('GET', `/v2/bills/statements/${id}`);
  expect(detail.body.history.map((h: { revision: number; action: string; reason: string | null }) => [h.revision, h.action, h.reason])).toEqual([
    [1, 'generated', null],
    [1, 'disputed', 'Order 42 is missing its partner share'],
    [2, 'reissued', 'Share added in the next cycle; bill stands'],
    [2, 'confirmed', null],
  ]);
  expect(stack.events().filter((e) => e.type === StatementConfirmedV1.type && e.subject === id)).toHaveLength(1);

  // Other partners and salespeople see nothing of it.
  expect(await stack.partner(outsider)('GET', `/v2/bills/statements/${id}`)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
  expect(await stack.partner(outsider)('POST', `/v2/bills/statements/${id}/confirm`, { body: { revision: 2 } })).toMatchObject({ status: 404 });
  const member = await stack.operator('POST', `/operator/partners/${enrolled.partner_id}/members`, { body: { name: 'Sales', role: 'salesperson' } });
  const key = await stack.operator('POST', `/operator/partners/${enrolled.partner_id}/access-keys`, { body: { member_id: member.body.member_id } });
  expect(await stack.partner(key.body)('GET', '/v2/bills/statements')).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });
  expect(await stack.operator('PUT', `/operator/billing/split-programs/${enrolled.partner_id}`, { body: { program: 'everything' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
});
