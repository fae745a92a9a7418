import { ConsumerGroups, IncentivePayoutAppliedV1, InvoiceApprovedV1, InvoiceRejectedV1 } from '@settle/contracts';
import { DeadLetterHeaders } from '@settle/messaging';
import { waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { InvoiceStack } from '../testing/invoice-stack';

/**
 * Invoicing lists (issue 11, capability 2) on the real stack: incentive-service's payout
 * application (published to Kafka as it publishes it) opens a list; the list is visible once the
 * partner's business information certification is complete; the partner records its invoice; an
 * operator rejects a mismatching one with a reason, the partner resubmits, the operator approves,
 * and `settle.invoice.approved.v1` reaches Kafka exactly once.
 */
let stack: InvoiceStack;

function application(partnerId: string, overrides: Record<string, unknown> = {}) {
  return {
    application_id: randomUUID(),
    partner_id: partnerId,
    notice_ids: ['notice-2026-10-a', 'notice-2026-10-b'],
    period: '2026-10',
    method: 'bank-transfer',
    invoice_required: true,
    amount: '1060.00',
    currency: 'CNY',
    invoice: { net_amount: '1000.00', tax_amount: '60.00', gross_amount: '1060.00', tax_rate: '0.06', taxpayer_type: 'general' },
    applied_at: '2026-11-02T03:04:05.000Z',
    ...overrides,
  };
}

const apply = (data: Record<string, unknown>, eventId?: string) =>
  stack.publish(IncentivePayoutAppliedV1, data, { key: data.partner_id as string, eventId, source: '/settle/incentive-service' });

async function listOf(partnerId: string): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const res = await stack.operator('GET', '/operator/invoices/invoicing-lists', { query: { partner_id: partnerId } });
    return res.body.total_count > 0 ? res.body.invoicing_lists[0] : undefined;
  }, `an invoicing list of ${partnerId}`);
}

const invoice = (overrides: Record<string, unknown> = {}) => ({
  invoice_number: '04481234',
  invoice_code: '031002300111',
  invoice_date: '2026-11-05',
  net_amount: '1000.00',
  tax_amount: '60.00',
  gross_amount: '1060.00',
  tax_rate: '0.06',
  tracking_number: 'SF1234567890',
  ...overrides,
});

/** The scenarios, on the shared stack of `testing/invoicing.int-spec.ts`. */
export function invoicingListScenarios(current: () => InvoiceStack): void {
  beforeAll(() => {
    stack = current();
  });

  describe('invoicing lists', () => {
    it('goes list → submit → reject (mismatching tax) → resubmit → approve, publishing invoice.approved exactly once', async () => {
      const partner = await stack.createPartner();
      await stack.knowsPartner(partner.partner_id);
      const call = stack.partner(partner);
      const data = application(partner.partner_id);
      const eventId = await apply(data);
      const opened = await listOf(partner.partner_id);
      expect(opened).toMatchObject({
        application_id: data.application_id,
        status: 'awaiting-invoice',
        method: 'bank-transfer',
        amount: '1060.00',
        net_amount: '1000.00',
        tax_amount: '60.00',
        gross_amount: '1060.00',
        tax_rate: '0.06',
        currency: 'CNY',
        billing_entity: { name: 'Settle Cloud Computing Technologies Co., Ltd.', taxpayer_id: '91110000MA00SETTLE' },
        mailing_address: { recipient: 'Partner Invoice Desk', address: expect.stringContaining('Beijing') },
      });
      const listId = opened.invoicing_list_id as string;

      // Not visible before the business information certification is complete.
      const hidden = await call('GET', '/v2/invoices/invoicing-lists');
      expect(hidden).toMatchObject({ status: 403, body: { error_code: 'CBC.99007010' } });
      expect((await call('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: invoice() })).status).toBe(403);
      await stack.certify(partner.partner_id);
      const visible = await call('GET', '/v2/invoices/invoicing-lists');
      expect(visible.body).toMatchObject({ total_count: 1, invoicing_lists: [{ invoicing_list_id: listId, mailing_address: opened.mailing_address }] });

      // The same application again (redelivered, and re-published under a new id): still one list.
      await apply(data, eventId);
      const republished = await apply(data);
      await stack.processed(ConsumerGroups.InvoicePayoutApplications, republished);
      expect((await stack.operator('GET', '/operator/invoices/invoicing-lists', { query: { partner_id: partner.partner_id } })).body.total_count).toBe(1);

      // An invoice whose own amounts do not add up is refused at once.
      const broken = await call('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: invoice({ gross_amount: '1061.00' }) });
      expect(broken).toMatchObject({ status: 400, body: { error_code: 'CBC.99007012' } });

      // First submission: the tax is wrong (3 % instead of 6 %).
      const first = await call('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: invoice({ tax_amount: '30.00', gross_amount: '1030.00', tax_rate: '0.03' }) });
      expect(first).toMatchObject({ status: 201, body: { status: 'submitted', submissions: 1, invoices: [{ submission: 1, status: 'pending', tracking_number: 'SF1234567890' }] } });
      const twice = await call('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: invoice({ invoice_number: '04481235' }) });
      expect(twice).toMatchObject({ status: 409, body: { error_code: 'CBC.99007011' } });

      const refused = await stack.operator('POST', `/operator/invoices/invoicing-lists/${listId}/approve`);
      expect(refused).toMatchObject({ status: 409, body: { error_code: 'CBC.99007013', mismatches: expect.arrayContaining([{ field: 'tax_amount', expected: '60.00', actual: '30.00' }]) } });
      const rejected = await stack.operator('POST', `/operator/invoices/invoicing-lists/${listId}/reject`, { body: { reason: 'The tax must be 6 % (60.00), as the list says.' } });
      expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected', invoices: [{ status: 'rejected', reject_reason: 'The tax must be 6 % (60.00), as the list says.', mismatches: expect.arrayContaining([{ field: 'tax_rate', expected: '0.06', actual: '0.03' }]) }] } });
      const rejectedEvent = await stack.waitForEvent(InvoiceRejectedV1, (d) => d.invoicing_list_id === listId);
      expect(rejectedEvent.data).toMatchObject({ application_id: data.application_id, partner_id: partner.partner_id, submission: 1, tax_amount: '30.00', reason: expect.stringContaining('6 %') });

      // Resubmitted with the list's amounts, approved once.
      const second = await call('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: invoice({ invoice_number: '04481299' }) });
      expect(second).toMatchObject({ status: 201, body: { status: 'submitted', submissions: 2 } });
      const approvals = await Promise.all([1, 2, 3].map(() => stack.operator('POST', `/operator/invoices/invoicing-lists/${listId}/approve`)));
      expect(approvals.map((a) => a.status).sort()).toEqual([200, 409, 409]);
      expect(approvals.filter((a) => a.status === 409).map((a) => a.body.error_code)).toEqual(['CBC.99007014', 'CBC.99007014']);
      const [approved] = approvals.filter((a) => a.status === 200);
      expect(approved.body).toMatchObject({ status: 'approved', invoices: [{ status: 'rejected' }, { submission: 2, status: 'approved', invoice_number: '04481299' }] });

      const event = await stack.waitForEvent(InvoiceApprovedV1, (d) => d.invoicing_list_id === listId);
      expect(event.data).toEqual({
        invoicing_list_id: listId,
        application_id: data.application_id,
        partner_id: partner.partner_id,
        invoice_number: '04481299',
        invoice_code: '031002300111',
        net_amount: '1000.00',
        tax_amount: '60.00',
        gross_amount: '1060.00',
        currency: 'CNY',
        submission: 2,
        approved_at: expect.any(String),
        approved_by: 'operator:test-operator',
      });
      // Everything the outbox holds is on Kafka (backlog 0), and the probe has read past it: one approval event.
      await waitFor(async () => (await stack.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n === 0, 'the outbox to drain');
      const marker = await stack.operator('POST', `/operator/invoices/invoicing-lists/${listId}/reject`, { body: { reason: 'too late' } });
      expect(marker).toMatchObject({ status: 409, body: { error_code: 'CBC.99007014' } });
      const approvedEvents = stack.events().filter((e) => e.type === InvoiceApprovedV1.type && e.data.invoicing_list_id === listId);
      expect(approvedEvents).toHaveLength(1);
      const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type = $1 AND subject = $2`, [InvoiceApprovedV1.type, listId]);
      expect(n).toBe(1);
      expect((await call('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: invoice({ invoice_number: '04481300' }) })).body).toMatchObject({ error_code: 'CBC.99007011' });

      // Each step was recorded for the partner's notifications (ready once certified, received twice, rejected, approved).
      const steps = (await call('GET', '/v2/invoices/notifications')).body.notifications.map((n: { kind: string }) => n.kind).sort();
      expect(steps).toEqual(['invoice-approved', 'invoice-received', 'invoice-received', 'invoice-rejected', 'list-ready']);
    });

    it('dead-letters an application whose invoice amounts do not add up, opening no list', async () => {
      const partner = await stack.createPartner();
      const bad = application(partner.partner_id, { invoice: { net_amount: '1000.00', tax_amount: '60.00', gross_amount: '1059.99', tax_rate: '0.06', taxpayer_type: 'general' } });
      const eventId = await apply(bad);
      const letter = await waitFor(() => stack.deadLetters.find((m) => m.headers?.ce_id?.toString() === eventId), 'the dead letter');
      expect(letter.headers?.[DeadLetterHeaders.Reason]?.toString()).toBe('rejected');
      expect(letter.headers?.[DeadLetterHeaders.Error]?.toString()).toContain('is not gross 1059.99');
      // A good application of the same partner after it opens its list: the bad one opened none.
      await apply(application(partner.partner_id));
      await listOf(partner.partner_id);
      expect((await stack.operator('GET', '/operator/invoices/invoicing-lists', { query: { partner_id: partner.partner_id } })).body.total_count).toBe(1);
    });

    it('opens no list for a voucher payout, and shows no partner another partner’s list', async () => {
      const a = await stack.createPartner();
      const b = await stack.createPartner();
      await stack.certify(a.partner_id);
      await stack.certify(b.partner_id);
      const voucher = await apply(application(a.partner_id, { method: 'voucher', invoice_required: false, invoice: undefined }));
      await stack.processed(ConsumerGroups.InvoicePayoutApplications, voucher);
      expect((await stack.partner(a)('GET', '/v2/invoices/invoicing-lists')).body).toMatchObject({ total_count: 0 });

      await apply(application(a.partner_id, { method: 'recharge-account' }));
      const list = await listOf(a.partner_id);
      expect(list).toMatchObject({ method: 'recharge-account', status: 'awaiting-invoice' });
      const other = stack.partner(b);
      expect((await other('GET', `/v2/invoices/invoicing-lists/${list.invoicing_list_id}`)).status).toBe(404);
      expect((await other('POST', `/v2/invoices/invoicing-lists/${list.invoicing_list_id}/invoices`, { body: invoice() })).status).toBe(404);
      expect((await other('GET', '/v2/invoices/invoicing-lists')).body).toMatchObject({ total_count: 0 });
      expect((await stack.partner(a)('GET', `/v2/invoices/invoicing-lists/${list.invoicing_list_id}`)).body).toMatchObject({ status: 'awaiting-invoice', invoices: [] });
    });
  });
}
