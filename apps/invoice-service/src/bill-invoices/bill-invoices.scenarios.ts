import { BillInvoiceIssuedV1, BillPaymentReceivedV1, ConsumerGroups } from '@settle/contracts';
import { PartnerCredentials, waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { InvoiceStack } from '../testing/invoice-stack';

/**
 * Bill invoices (issue 11, capability 3) on the real stack: what a partner paid comes from
 * billing's payment events (published to Kafka as billing would publish them); the invoiceable
 * amount is paid minus invoiced, never negative, and 20 concurrent requests never invoice more than
 * was paid; a request follows the account's invoice information.
 */
let stack: InvoiceStack;

const information = { title: 'Paying Partner Ltd.', taxpayer_id: '91440300MA5FPAY01X', invoice_type: 'vat-general', mailing_recipient: 'Wang Fang', mailing_phone: '0755-8888-0001', mailing_address: '1 Shennan Road, Shenzhen' };

async function payingPartner(payments: string[]): Promise<PartnerCredentials & { partner_id: string }> {
  const partner = await stack.createPartner();
  const created = await stack.partner(partner)('POST', '/v2/invoices/invoice-information', { body: information });
  if (created.status !== 201) throw new Error(`invoice information answered ${created.status}`);
  let last = '';
  for (const amount of payments) last = await pay(partner.partner_id, amount);
  if (last) await stack.processed(ConsumerGroups.InvoiceBillPayments, last);
  return partner;
}

function pay(partnerId: string, amount: string, paymentId = `pay-${randomUUID().slice(0, 12)}`, eventId?: string): Promise<string> {
  return stack.publish(
    BillPaymentReceivedV1,
    { payment_id: paymentId, partner_id: partnerId, bill_id: randomUUID(), bill_cycle: '2026-10', amount, currency: 'CNY', paid_at: '2026-11-05T02:00:00.000Z' },
    { key: partnerId, eventId, source: '/settle/billing-service' },
  );
}

const invoiceable = async (partner: PartnerCredentials) => (await stack.partner(partner)('GET', '/v2/invoices/bill-invoices/invoiceable-amount', { query: { currency: 'CNY' } })).body;

/** The scenarios, on the shared stack of `testing/invoicing.int-spec.ts`. */
export function billInvoiceScenarios(current: () => InvoiceStack): void {
  beforeAll(() => {
    stack = current();
  });

  describe('bill invoices', () => {
    it('counts each payment once, whatever its redeliveries', async () => {
      const partner = await payingPartner(['400.00', '350.00']);
      const paymentId = 'pay-once-1';
      const eventId = await pay(partner.partner_id, '250.00', paymentId);
      await pay(partner.partner_id, '250.00', paymentId, eventId);
      await stack.processed(ConsumerGroups.InvoiceBillPayments, await pay(partner.partner_id, '250.00', paymentId));
      expect(await invoiceable(partner)).toEqual({ currency: 'CNY', paid_amount: '1000.00', invoiced_amount: '0.00', invoiceable_amount: '1000.00' });
    });

    it('never invoices more than was paid under 20 concurrent requests, and never goes negative', async () => {
      const partner = await payingPartner(['400.00', '350.00', '250.00']);
      const call = stack.partner(partner);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => call('POST', '/v2/invoices/bill-invoices', { body: { request_id: `burst-${i}`, currency: 'CNY', amount: '75.00' } })));
      const accepted = answers.filter((a) => a.status === 201);
      const refused = answers.filter((a) => a.status !== 201);
      expect(accepted).toHaveLength(13);
      expect(refused.map((a) => [a.status, a.body.error_code])).toEqual(Array.from({ length: 7 }, () => [409, 'CBC.99007020']));
      expect(await invoiceable(partner)).toEqual({ currency: 'CNY', paid_amount: '1000.00', invoiced_amount: '975.00', invoiceable_amount: '25.00' });

      // The rest, then nothing.
      const rest = await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'rest', currency: 'CNY' } });
      expect(rest).toMatchObject({ status: 201, body: { amount: '25.00', status: 'requested', invoice_information: { title: information.title, taxpayer_id: information.taxpayer_id } } });
      const none = await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'none-left' } });
      expect(none).toMatchObject({ status: 409, body: { error_code: 'CBC.99007020', error_msg: expect.stringContaining('Nothing is left') } });
      expect(await invoiceable(partner)).toMatchObject({ invoiced_amount: '1000.00', invoiceable_amount: '0.00' });
      const [{ total }] = await stack.dataSource.query(`SELECT sum(amount_minor)::text AS total FROM bill_invoices WHERE partner_id = $1`, [partner.partner_id]);
      expect(total).toBe('100000');

      // A later payment makes more invoiceable.
      await stack.processed(ConsumerGroups.InvoiceBillPayments, await pay(partner.partner_id, '10.00'));
      expect(await invoiceable(partner)).toMatchObject({ paid_amount: '1010.00', invoiceable_amount: '10.00' });
    });

    it('lets exactly one of 20 concurrent "everything left" requests through', async () => {
      const partner = await payingPartner(['500.00']);
      const call = stack.partner(partner);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => call('POST', '/v2/invoices/bill-invoices', { body: { request_id: `all-${i}` } })));
      expect(answers.filter((a) => a.status === 201).map((a) => a.body.amount)).toEqual(['500.00']);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    });

    it('follows the invoice information, answers a repeated request id with the first request, and is issued by an operator', async () => {
      const partner = await payingPartner(['300.00']);
      const call = stack.partner(partner);
      const first = await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'same', currency: 'CNY', amount: '100.00' } });
      expect(first).toMatchObject({ status: 201, body: { amount: '100.00', replayed: false } });
      const repeat = await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'same', amount: 100 } });
      expect(repeat).toMatchObject({ status: 201, body: { bill_invoice_id: first.body.bill_invoice_id, replayed: true } });
      const reused = await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'same', amount: '120.00' } });
      expect(reused).toMatchObject({ status: 409, body: { error_code: 'CBC.99007023' } });
      expect(await invoiceable(partner)).toMatchObject({ invoiced_amount: '100.00', invoiceable_amount: '200.00' });

      const issued = await stack.operator('POST', `/operator/invoices/bill-invoices/${first.body.bill_invoice_id}/issue`, { body: { invoice_number: '24440000000012345678' } });
      expect(issued).toMatchObject({ status: 200, body: { status: 'issued', invoice_number: '24440000000012345678' } });
      expect((await stack.operator('POST', `/operator/invoices/bill-invoices/${first.body.bill_invoice_id}/issue`, { body: { invoice_number: '2' } })).status).toBe(409);
      const issuedEvent = await stack.waitForEvent(BillInvoiceIssuedV1, (d) => d.bill_invoice_id === first.body.bill_invoice_id);
      expect(issuedEvent.data).toMatchObject({ partner_id: partner.partner_id, amount: '100.00', currency: 'CNY', invoice_number: '24440000000012345678', title: information.title, taxpayer_id: information.taxpayer_id, invoice_type: 'vat-general' });
      expect((await call('GET', `/v2/invoices/bill-invoices/${first.body.bill_invoice_id}`)).body).toMatchObject({ status: 'issued', issued_at: expect.any(String) });
      const notifications = await waitFor(async () => {
        const res = await call('GET', '/v2/invoices/notifications');
        return res.body.notifications.find((n: { kind: string }) => n.kind === 'bill-invoice-issued');
      }, 'the bill-invoice-issued notification');
      expect(notifications.params).toMatchObject({ invoice_number: '24440000000012345678', amount: '100.00', title: information.title });

      // Another partner sees none of it.
      const other = await stack.createPartner();
      expect((await stack.partner(other)('GET', `/v2/invoices/bill-invoices/${first.body.bill_invoice_id}`)).status).toBe(404);
      expect((await stack.partner(other)('GET', '/v2/invoices/bill-invoices')).body).toMatchObject({ total_count: 0 });
      expect(await invoiceable(other)).toMatchObject({ paid_amount: '0.00', invoiceable_amount: '0.00' });
    });

    it('needs a valid invoice information, and a choice among several kept from before 2020-08-01', async () => {
      const bare = await stack.createPartner();
      await stack.processed(ConsumerGroups.InvoiceBillPayments, await pay(bare.partner_id, '50.00'));
      expect((await stack.partner(bare)('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'no-info' } })).body).toMatchObject({ error_code: 'CBC.99007021' });

      const legacy = await stack.createPartner();
      const ids = [randomUUID(), randomUUID()];
      for (const [i, id] of ids.entries()) {
        await stack.dataSource.query(
          `INSERT INTO invoice_information (id, partner_id, title, taxpayer_id, invoice_type, mailing_recipient, mailing_phone, mailing_address, status, created_at, created_by, updated_at, updated_by)
           VALUES ($1, $2, $3, '91110000MA00LEGACY', 'vat-general', 'Han', '010-1', 'Beijing', 'valid', '2020-06-0${i + 1}T00:00:00Z', 'migration', '2020-06-01T00:00:00Z', 'migration')`,
          [id, legacy.partner_id, `Old title ${i + 1}`],
        );
      }
      await stack.processed(ConsumerGroups.InvoiceBillPayments, await pay(legacy.partner_id, '50.00'));
      const call = stack.partner(legacy);
      expect((await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'which' } })).body).toMatchObject({ error_code: 'CBC.99007022' });
      const chosen = await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'chosen', invoice_information_id: ids[1] } });
      expect(chosen).toMatchObject({ status: 201, body: { amount: '50.00', invoice_information_id: ids[1], invoice_information: { title: 'Old title 2' } } });
      expect((await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'bad-amount', amount: '1.001' } })).status).toBe(400);
    });
  });
}
