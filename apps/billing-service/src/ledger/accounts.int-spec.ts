import { BalanceAlertV1, WithdrawalStatusChangedV1 } from '@settle/contracts';
import { PartnerCredentials, waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { BillingStack, startBillingStack } from '../testing/billing-stack';

/**
 * Partner accounts on the double-entry ledger, on the real stack: recharge, funding and reclaiming
 * customers, records, balances, alerts, withdrawals; the ledger re-derived after every scenario.
 */
let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack();
}, 180_000);
afterAll(() => stack?.close(), 60_000);

afterEach(async () => {
  // Whatever happened, the books balance: every balance equals the sum of its postings.
  const check = await stack.operator('GET', '/operator/billing/ledger/check');
  expect(check.body).toMatchObject({ balance_mismatches: [], unbalanced_entries: [], negative_balances: [] });
});

async function partnerWithCash(cash: string) {
  const partner = await stack.createPartner();
  const res = await stack.operator('POST', '/operator/billing/accounts/recharge', { body: { partner_id: partner.partner_id, amount: cash, request_id: `r-${randomUUID()}` } });
  expect(res.status).toBe(200);
  return partner;
}

async function balance(partner: PartnerCredentials & { partner_id: string }, type = 'cash') {
  const res = await stack.operator('GET', '/operator/billing/accounts', { query: { partner_id: partner.partner_id } });
  if (type === 'withdrawal-hold') return (res.body.held_for_withdrawal as { amount: string }[])[0]?.amount ?? '0.00';
  return (res.body.account_balances as { account_type: string; amount: string }[]).find((a) => a.account_type === type)?.amount ?? '0.00';
}

async function ownCustomer(partnerId: string) {
  const customer = await stack.associate(partnerId);
  await stack.owned(customer, partnerId, new Date().toISOString());
  return customer;
}

describe('funding and reclaiming customers', () => {
  it('moves money between the partner and its customer exactly, records both ways, and refuses an overdraft with CBC.99005003', async () => {
    const partner = await partnerWithCash('1000.00');
    const customer = await ownCustomer(partner.partner_id);
    const call = stack.partner(partner);

    const funded = await call('POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: customer, amount: 300.5 } });
    expect(funded.body).toMatchObject({ customer_id: customer, amount: '300.50', currency: 'CNY', replayed: false });
    expect(await balance(partner)).toBe('699.50');
    const reclaimed = await call('POST', '/v2/accounts/partner-accounts/reclaim', { body: { customer_id: customer, amount: '100.25' } });
    expect(reclaimed.status).toBe(200);
    expect(await balance(partner)).toBe('799.75');

    // The customer holds 200.25: reclaiming more is refused, nothing moves.
    const over = await call('POST', '/v2/accounts/partner-accounts/reclaim', { body: { customer_id: customer, amount: '200.26' } });
    expect(over).toMatchObject({ status: 400, body: { error_code: 'CBC.99005003', error_msg: expect.stringMatching(/customer .* holds 200.25 CNY, 200.26 requested/) } });
    const tooMuch = await call('POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: customer, amount: '799.76' } });
    expect(tooMuch).toMatchObject({ status: 400, body: { error_code: 'CBC.99005003' } });
    expect(await balance(partner)).toBe('799.75');

    const records = await call('GET', '/v3/accounts/partner-accounts/adjust-records', { query: { customer_id: customer } });
    expect(records.body.total_count).toBe(2);
    expect(records.body.records.map((r: { operation_type: string; amount: string }) => [r.operation_type, r.amount])).toEqual([
      ['SOURCE_OPERATION_BERETRIEVE', '100.25'],
      ['SOURCE_OPERATION_BEADJUST', '300.50'],
    ]);
    expect(records.body.records[1]).toMatchObject({ trans_id: funded.body.transfer_id, operation_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/), measure_id: 1 });
    expect((await call('GET', '/v3/accounts/partner-accounts/adjust-records', { query: { operation_type: 'SOURCE_OPERATION_BEADJUST', limit: '1' } })).body).toMatchObject({ total_count: 1, records: [{ trans_id: funded.body.transfer_id }] });
    expect((await call('GET', '/v3/accounts/partner-accounts/adjust-records', { query: { trans_id: reclaimed.body.trans_id } })).body).toMatchObject({ total_count: 1, records: [{ amount: '100.25' }] });

    // The SDK's AccountChangeRecord: the amount moved, its direction (1 income, 2 expense) and the balance after.
    const changes = await call('GET', '/v2/accounts/partner-accounts/account-change-records', { query: { balance_type: 'BALANCE_TYPE_DEBIT' } });
    expect(changes.body).toMatchObject({ total_count: 3, currency: 'CNY' });
    expect(changes.body.records.map((r: Record<string, string>) => [r.entry_type, r.trade_detail_type, r.type, r.change_amount, r.balance_after_change])).toEqual([
      ['customer-reclaim', 'SOURCE_OPERATION_BERETRIEVE', '1', '100.25', '799.75'],
      ['customer-funding', 'SOURCE_OPERATION_BEADJUST', '2', '300.50', '699.50'],
      ['recharge', 'SOURCE_OPERAIION_RECHARGE', '1', '1000.00', '1000.00'],
    ]);
    expect((await call('GET', '/v2/accounts/partner-accounts/account-change-records', { query: { balance_type: 'BALANCE_TYPE_DEBIT', trade_type: 'BEADJUST' } })).body.total_count).toBe(1);
    expect((await call('GET', '/v2/accounts/partner-accounts/account-change-records', { query: { balance_type: 'BALANCE_TYPE_CREDIT' } })).body.total_count).toBe(0);
    const balances = await call('GET', '/v2/accounts/partner-accounts/balances');
    expect(balances.body.account_balances).toEqual([expect.objectContaining({ account_type: 1, amount: 799.75, currency: 'CNY' })]);

    // Both record lists export as CSV tasks with the same content.
    for (const [type, rows] of [
      ['adjust-records', 2],
      ['account-change-records', 3],
    ] as const) {
      const task = await call('POST', '/v2/bills/export-tasks', { body: { export_type: type } });
      const done = await waitFor(async () => {
        const res = await call('GET', `/v2/bills/export-tasks/${task.body.task_id}`, { query: { t: String(Date.now()) } });
        return res.body.status === 'succeeded' ? res.body : undefined;
      }, `the ${type} export`);
      expect(done.row_count).toBe(rows);
      const file = String((await call('GET', `/v2/bills/export-tasks/${task.body.task_id}/file`)).body);
      expect(file).toContain(type === 'adjust-records' ? `,${customer},1,300.50,CNY,` : ',customer-funding,cash,-300.50,699.50,CNY,');
    }
  });

  it('moves money once for a repeated request id, and never overdraws under 20 concurrent reclaims', async () => {
    const partner = await partnerWithCash('100.00');
    const customer = await ownCustomer(partner.partner_id);
    const call = stack.partner(partner);
    const first = await call('POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: customer, amount: '50.00', request_id: 'fund-1' } });
    await new Promise((r) => setTimeout(r, 1_100)); // the same signed request within a second would be refused as a replay
    const again = await call('POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: customer, amount: '50.00', request_id: 'fund-1' } });
    expect(again.body).toMatchObject({ transfer_id: first.body.transfer_id, replayed: true });
    expect(await balance(partner)).toBe('50.00');

    // The customer holds 50.00; 20 reclaims of 7.00 race: exactly 7 succeed (49.00), the rest are refused.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call('POST', '/v2/accounts/partner-accounts/reclaim', { body: { customer_id: customer, amount: '7.00', request_id: `reclaim-${i}` } })),
    );
    const statuses = results.map((r) => r.body.error_code ?? r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 'CBC.99005003')).toHaveLength(13);
    expect(await balance(partner)).toBe('99.00');
  });

  it('keeps partners to their own customers and money, salespeople out, and answers bad input with 400', async () => {
    const partner = await partnerWithCash('10.00');
    const other = await partnerWithCash('10.00');
    const othersCustomer = await ownCustomer(other.partner_id);
    const call = stack.partner(partner);
    for (const path of ['/v2/accounts/partner-accounts/adjust-amount', '/v2/accounts/partner-accounts/reclaim']) {
      expect(await call('POST', path, { body: { customer_id: othersCustomer, amount: '1.00' } })).toMatchObject({ status: 404, body: { error_code: 'CBC.0101', error_msg: `Customer ${othersCustomer} is not one of your customers.` } });
    }
    for (const amount of ['1.234', '-5', 'abc', 0, '0.00', '1e3', 12.345]) {
      const res = await call('POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: othersCustomer, amount } });
      expect({ amount, status: res.status, code: res.body.error_code, names: String(res.body.error_msg).includes('amount') }).toEqual({ amount, status: 400, code: 'CBC.0100', names: true });
    }
    expect(await call('GET', '/v3/accounts/partner-accounts/adjust-records', { query: { operation_type: '3' } })).toMatchObject({ status: 400 });
    expect(await call('GET', '/v2/accounts/partner-accounts/account-change-records', { query: { balance_type: 'cash' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect((await call('GET', '/v3/accounts/partner-accounts/adjust-records')).body).toEqual({ total_count: 0, records: [] });

    const member = await stack.operator('POST', `/operator/partners/${partner.partner_id}/members`, { body: { name: 'Sales', role: 'salesperson' } });
    const key = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys`, { body: { member_id: member.body.member_id } });
    expect(await stack.partner(key.body)('GET', '/v2/accounts/partner-accounts/balances')).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });
    expect(await balance(other)).toBe('10.00');
  });
});

describe('funding tier-2 resellers', () => {
  it('moves money between a distributor and its own tier-2 resellers only', async () => {
    const distributor = await stack.createPartner({ kind: 'distributor' });
    await stack.operator('POST', '/operator/billing/accounts/recharge', { body: { partner_id: distributor.partner_id, amount: '100.00', request_id: `r-${randomUUID()}` } });
    const reseller = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: distributor.partner_id });
    const foreign = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: (await stack.createPartner({ kind: 'distributor' })).partner_id });
    // billing learns the hierarchy from customer-service's partner events
    await waitFor(async () => ((await stack.operator('GET', `/operator/billing/partners/${reseller.partner_id}`)).status === 200 ? true : undefined), 'the reseller in billing');
    const call = stack.partner(distributor);

    const funded = await call('POST', '/v2/accounts/partner-accounts/indirect-partner-adjust', { body: { indirect_partner_id: reseller.partner_id, amount: '60.00' } });
    expect(funded.body).toMatchObject({ transfer_id: expect.any(String), amount: '60.00' });
    expect([await balance(distributor), await balance(reseller)]).toEqual(['40.00', '60.00']);
    expect(await call('POST', '/v2/accounts/partner-accounts/indirect-partner-reclaim', { body: { indirect_partner_id: reseller.partner_id, amount: '60.01' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.99005003' } });
    expect((await call('POST', '/v2/accounts/partner-accounts/indirect-partner-reclaim', { body: { indirect_partner_id: reseller.partner_id, amount: '10.00' } })).status).toBe(200);
    expect([await balance(distributor), await balance(reseller)]).toEqual(['50.00', '50.00']);
    // The reseller's balances as its parent reads them (ListPartnerBalances with indirect_partner_id).
    const resellerBalances = await call('GET', '/v2/accounts/partner-accounts/balances', { query: { indirect_partner_id: reseller.partner_id } });
    expect(resellerBalances.body.account_balances).toEqual([expect.objectContaining({ account_type: 1, amount: 50 })]);
    expect(await call('GET', '/v2/accounts/partner-accounts/balances', { query: { indirect_partner_id: foreign.partner_id } })).toMatchObject({ status: 400, body: { error_code: 'CBC.99000037' } });
    for (const id of [foreign.partner_id, 'no-such-partner', distributor.partner_id]) {
      expect(await call('POST', '/v2/accounts/partner-accounts/indirect-partner-adjust', { body: { indirect_partner_id: id, amount: '1.00' } })).toMatchObject({
        status: 400,
        body: { error_code: 'CBC.99000037', error_msg: `indirect_partner_id: ${id} is not one of your tier-2 resellers.` },
      });
    }
    expect(await balance(foreign)).toBe('0.00');
  });
});

describe('balance alerts', () => {
  it('fires once when the cash balance crosses below the threshold, and again only after it recovered', async () => {
    const partner = await partnerWithCash('100.00');
    const customer = await ownCustomer(partner.partner_id);
    const call = stack.partner(partner);
    expect((await call('PUT', '/v2/accounts/partner-accounts/balance-alert', { body: { threshold: '50.00' } })).body).toEqual({ threshold: '50.00', currency: 'CNY', armed: true });
    const fund = (amount: string) => call('POST', '/v2/accounts/partner-accounts/adjust-amount', { body: { customer_id: customer, amount, request_id: randomUUID() } });
    const reclaim = (amount: string) => call('POST', '/v2/accounts/partner-accounts/reclaim', { body: { customer_id: customer, amount, request_id: randomUUID() } });
    const alerts = () => stack.events().filter((e) => e.type === BalanceAlertV1.type && e.subject === partner.partner_id);

    await fund('40.00'); // 60.00: above
    await fund('20.00'); // 40.00: crossed below → alert
    await stack.waitForEvent(BalanceAlertV1, (d) => (d as { partner_id: string }).partner_id === partner.partner_id);
    await fund('10.00'); // 30.00: still below, no second alert
    await reclaim('30.00'); // 60.00: recovered, re-armed
    await fund('15.00'); // 45.00: crossed again → second alert
    await new Promise((r) => setTimeout(r, 1_500));
    expect(alerts().map((e) => (e.data as { balance: string; threshold: string }).balance)).toEqual(['40.00', '45.00']);
    expect(alerts()[0].data).toMatchObject({ currency: 'CNY', threshold: '50.00' });
  });
});

describe('withdrawals', () => {
  it('holds the amount from application, releases it on rejection (then deletable), pays it out once approved', async () => {
    const partner = await partnerWithCash('500.00');
    const call = stack.partner(partner);

    const applied = await call('POST', '/v2/accounts/partner-accounts/withdrawals', { body: { amount: '200.00', request_id: 'w-1', remark: 'Q3 income' } });
    expect(applied.body).toMatchObject({ status: 'applied', amount: '200.00', replayed: false });
    expect([await balance(partner), (await call('GET', '/v2/accounts/partner-accounts/balances')).body.held_for_withdrawal]).toEqual(['300.00', [{ amount: '200.00', currency: 'CNY' }]]);
    expect((await call('POST', '/v2/accounts/partner-accounts/withdrawals', { body: { amount: '200.00', request_id: 'w-1', remark: 'Q3 income (retry)' } })).body).toMatchObject({ withdrawal_id: applied.body.withdrawal_id, replayed: true });
    // Held money cannot be spent again.
    expect(await call('POST', '/v2/accounts/partner-accounts/withdrawals', { body: { amount: '300.01', request_id: 'w-2' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.99005003' } });

    const id = applied.body.withdrawal_id as string;
    expect(await call('DELETE', `/v2/accounts/partner-accounts/withdrawals/${id}`)).toMatchObject({ status: 409, body: { error_msg: expect.stringMatching(/only a rejected application/) } });
    expect(await stack.operator('POST', `/operator/billing/withdrawals/${id}/pay`)).toMatchObject({ status: 409 });
    expect(await stack.operator('POST', `/operator/billing/withdrawals/${id}/reject`, { body: { reason: ' ' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    const rejected = await stack.operator('POST', `/operator/billing/withdrawals/${id}/reject`, { body: { reason: 'Bank account name does not match' } });
    expect(rejected.body).toMatchObject({ status: 'rejected', reject_reason: 'Bank account name does not match' });
    expect(await balance(partner)).toBe('500.00');
    expect(await stack.operator('POST', `/operator/billing/withdrawals/${id}/reject`, { body: { reason: 'again' } })).toMatchObject({ status: 409 });
    await new Promise((r) => setTimeout(r, 1_100)); // the refused DELETE above was the same signed request
    expect((await call('DELETE', `/v2/accounts/partner-accounts/withdrawals/${id}`)).status).toBe(204);
    expect(await call('GET', `/v2/accounts/partner-accounts/withdrawals/${id}`)).toMatchObject({ status: 404 });

    const second = await call('POST', '/v2/accounts/partner-accounts/withdrawals', { body: { amount: '120.00', request_id: 'w-3' } });
    const wid = second.body.withdrawal_id as string;
    expect((await stack.operator('POST', `/operator/billing/withdrawals/${wid}/approve`)).body).toMatchObject({ status: 'approved' });
    const paid = await stack.operator('POST', `/operator/billing/withdrawals/${wid}/pay`);
    expect(paid.body.progress.map((p: { step: string }) => p.step)).toEqual(['applied', 'approved', 'paid']);
    expect(await stack.operator('POST', `/operator/billing/withdrawals/${wid}/pay`)).toMatchObject({ status: 409 });
    expect(await balance(partner)).toBe('380.00');
    expect(await balance(partner, 'withdrawal-hold')).toBe('0.00');

    const listed = await call('GET', '/v2/accounts/partner-accounts/withdrawals');
    expect(listed.body).toMatchObject({ total_count: 1, withdrawals: [{ withdrawal_id: wid, status: 'paid' }] });
    await stack.waitForEvent(WithdrawalStatusChangedV1, (d) => (d as { withdrawal_id: string; status: string }).withdrawal_id === wid && (d as { status: string }).status === 'paid');
    const statuses = stack.events().filter((e) => e.type === WithdrawalStatusChangedV1.type && e.subject === id).map((e) => (e.data as { status: string }).status);
    expect(statuses).toEqual(['applied', 'rejected']);

    // Another partner cannot see or touch it.
    const other = stack.partner(await stack.createPartner());
    expect(await other('GET', `/v2/accounts/partner-accounts/withdrawals/${wid}`)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
  });

  it('never lets concurrent applications hold more than the cash balance', async () => {
    const partner = await partnerWithCash('100.00');
    const call = stack.partner(partner);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call('POST', '/v2/accounts/partner-accounts/withdrawals', { body: { amount: '15.00', request_id: `c-${i}` } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(6);
    expect(results.filter((r) => r.body.error_code === 'CBC.99005003')).toHaveLength(14);
    expect([await balance(partner), await balance(partner, 'withdrawal-hold')]).toEqual(['10.00', '90.00']);
  });
});

describe('the ledger', () => {
  it('refuses to change or delete a posted entry: corrections are reversing entries', async () => {
    const partner = await partnerWithCash('1.00');
    const [{ id }] = await stack.dataSource.query(`SELECT id FROM journal_entries WHERE partner_id = $1`, [partner.partner_id]);
    await expect(stack.dataSource.query(`UPDATE journal_entries SET memo = 'x' WHERE id = $1`, [id])).rejects.toThrow(/immutable/);
    await expect(stack.dataSource.query(`DELETE FROM postings WHERE entry_id = $1`, [id])).rejects.toThrow(/immutable/);
  });
});
