import { IncentivePayoutReleasedV1, SplitSettledV1, Topics } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { BillingStack, startBillingStack, usageRecord } from '../testing/billing-stack';
import { ExternalEvents, externalEvents } from '../testing/external-events';

/**
 * Money other services pay into partner accounts (issue 4, capability 5): incentive payouts returned
 * to the recharge account and split settlement income, from their events on the real broker, as
 * ledger entries exactly once; a settlement of a statement that is not confirmed never pays.
 */
let stack: BillingStack;
let external: ExternalEvents;

beforeAll(async () => {
  stack = await startBillingStack();
  external = await externalEvents(stack, [Topics.IncentiveEvents, Topics.MarketplaceEvents]);
}, 180_000);

afterAll(async () => {
  await external?.close();
  await stack?.close();
}, 60_000);

function publish(definition: typeof IncentivePayoutReleasedV1 | typeof SplitSettledV1, data: Record<string, unknown>, eventId?: string) {
  return external.publish(definition, data, { key: String(data.partner_id), eventId });
}

async function cash(partnerId: string): Promise<string> {
  const res = await stack.operator('GET', '/operator/billing/accounts', { query: { partner_id: partnerId } });
  return res.body.account_balances.find((a: { account_type: string }) => a.account_type === 'cash')?.amount ?? '0.00';
}

const cashBecomes = (partnerId: string, amount: string) => waitFor(async () => ((await cash(partnerId)) === amount ? true : undefined), `cash of ${partnerId} to be ${amount}`);

function deadLetter(key: string, contains: string) {
  return waitFor(() => {
    const m = external.deadLetters.find((d) => d.key?.toString() === key && String(d.headers?.['x-dlt-error'] ?? '').includes(contains));
    return m ? { reason: m.headers?.['x-dlt-reason']?.toString(), attempts: m.headers?.['x-dlt-attempts']?.toString(), error: m.headers?.['x-dlt-error']?.toString() } : undefined;
  }, `a dead letter of ${key} saying "${contains}"`);
}

/** A partner in a split program with a final bill of 2025-11, and its statement (pending). */
async function partnerWithStatement() {
  const partner = await stack.createPartner({ kind: 'solution-provider' });
  await stack.operator('PUT', `/operator/billing/split-programs/${partner.partner_id}`, { body: { program: 'strict-selection' } });
  const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2025-01-01T00:00:00.000Z' });
  const at = { occurred_at: '2025-11-10T00:00:00.000Z', bill_cycle: '2025-11' };
  await stack.owned(customer, partner.partner_id, at.occurred_at);
  await stack.ingest([usageRecord(customer, { ...at, official_amount: '50.00' })]);
  return partner;
}

it('credits the partner share of a split settlement once, and only for its own confirmed statement in its currency', async () => {
  const partner = await partnerWithStatement();
  const other = await partnerWithStatement();
  await stack.operator('POST', '/operator/billing/cycles/2025-11/close');
  const run = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: '2025-11' } });
  await waitFor(async () => ((await stack.operator('GET', `/operator/billing/bill-runs/${run.body.run_id}`)).body.status === 'completed' ? true : undefined), 'the bill run');
  const statementOf = (partnerId: string) =>
    waitFor(async () => {
      const res = await stack.operator('GET', '/operator/billing/statements', { query: { partner_id: partnerId } });
      return res.body.statements?.[0];
    }, `the statement of ${partnerId}`);
  const statement = await statementOf(partner.partner_id);
  const othersStatement = await statementOf(other.partner_id);
  const settlement = (overrides: Record<string, unknown> = {}) => ({
    settlement_id: `stl-${randomUUID()}`,
    partner_id: partner.partner_id,
    statement_id: statement.statement_id,
    amount: '12.34',
    currency: 'CNY',
    order_count: 3,
    settled_at: new Date().toISOString(),
    ...overrides,
  });

  // Not confirmed yet: refused at once, nothing paid.
  const early = settlement();
  await publish(SplitSettledV1, early);
  expect(await deadLetter(partner.partner_id, early.settlement_id)).toEqual({
    reason: 'rejected',
    attempts: '1',
    error: `split settlement ${early.settlement_id}: statement ${statement.statement_id} is pending; only a confirmed statement proceeds to settlement.`,
  });

  const confirmed = await stack.partner(partner)('POST', `/v2/bills/statements/${statement.statement_id}/confirm`, { body: { revision: statement.revision } });
  expect(confirmed.body).toMatchObject({ status: 'confirmed' });

  const paid = settlement();
  const eventId = await publish(SplitSettledV1, paid);
  await cashBecomes(partner.partner_id, '12.34');
  // The same event again, and the same settlement under a new event id: nothing moves twice.
  await publish(SplitSettledV1, paid, eventId);
  await publish(SplitSettledV1, paid);
  // The same settlement id with another amount, another currency, another partner's statement.
  const changed = { ...paid, amount: '99.99' };
  await publish(SplitSettledV1, changed);
  expect((await deadLetter(partner.partner_id, 'was already paid')).error).toBe(
    `split settlement ${paid.settlement_id} was already paid 12.34 CNY to partner ${partner.partner_id}; it cannot be paid again as 99.99 CNY to partner ${partner.partner_id}.`,
  );
  const usd = settlement({ currency: 'USD' });
  await publish(SplitSettledV1, usd);
  expect((await deadLetter(partner.partner_id, usd.settlement_id)).error).toBe(`split settlement ${usd.settlement_id} is in USD but statement ${statement.statement_id} is in CNY.`);
  const foreign = settlement({ statement_id: othersStatement.statement_id });
  await publish(SplitSettledV1, foreign);
  expect((await deadLetter(partner.partner_id, foreign.settlement_id)).error).toBe(
    `split settlement ${foreign.settlement_id}: partner ${partner.partner_id} has no reconciliation statement ${othersStatement.statement_id}.`,
  );
  // Breaking the contract (zero, too many decimals) is invalid data, refused before any handler.
  const zero = settlement({ amount: '0.00' });
  await publish(SplitSettledV1, zero);
  expect(await deadLetter(partner.partner_id, 'must be more than 0')).toMatchObject({ reason: 'invalid-data' });

  expect(await cash(partner.partner_id)).toBe('12.34');
  expect(await cash(other.partner_id)).toBe('0.00');
  const records = await stack.partner(partner)('GET', '/v2/accounts/partner-accounts/account-change-records', { query: { trade_type: 'split-settlement' } });
  expect(records.body).toMatchObject({ total_count: 1, currency: 'CNY', records: [{ entry_type: 'split-settlement', account_type: 1, type: '1', change_amount: '12.34', balance_after_change: '12.34' }] });
});

it('returns an incentive payout to the recharge account exactly once; bank transfers and vouchers move nothing here', async () => {
  const partner = await stack.createPartner({ kind: 'solution-provider' });
  const payout = (overrides: Record<string, unknown> = {}) => ({
    payout_id: `pay-${randomUUID()}`,
    partner_id: partner.partner_id,
    notice_ids: ['notice-2026-10'],
    period: '2026-10',
    method: 'recharge-account',
    amount: '1000.05',
    currency: 'CNY',
    released_at: new Date().toISOString(),
    ...overrides,
  });
  const toAccount = payout();
  await publish(IncentivePayoutReleasedV1, toAccount);
  await publish(IncentivePayoutReleasedV1, toAccount);
  await publish(IncentivePayoutReleasedV1, payout({ method: 'bank-transfer', amount: '500.00' }));
  await publish(IncentivePayoutReleasedV1, payout({ method: 'voucher', amount: '300.00' }));
  await cashBecomes(partner.partner_id, '1000.05');
  const tooPrecise = payout({ amount: '1.001' });
  await publish(IncentivePayoutReleasedV1, tooPrecise);
  expect(await deadLetter(partner.partner_id, 'more decimals than CNY allows')).toMatchObject({ reason: 'invalid-data' });
  // A later payout after all the others were consumed: the balance shows only the two to the account.
  await publish(IncentivePayoutReleasedV1, payout({ amount: '0.95' }));
  await cashBecomes(partner.partner_id, '1001.00');

  const records = await stack.partner(partner)('GET', '/v2/accounts/partner-accounts/account-change-records', { query: { trade_type: 'incentive-payout' } });
  expect(records.body.total_count).toBe(2);
  expect(records.body.records.map((r: { change_amount: string }) => r.change_amount).sort()).toEqual(['0.95', '1000.05']);

  const check = await stack.operator('GET', '/operator/billing/ledger/check');
  expect(check.body).toMatchObject({ balance_mismatches: [], unbalanced_entries: [], negative_balances: [] });
});
