import { ConsumerGroups, BillPaymentReceivedV1 } from '@settle/contracts';
import { ServiceProcess, freePort, waitFor } from '@settle/testing';
import { createHmac, randomUUID } from 'node:crypto';
import { InvoiceStack, startInvoiceStack } from '../testing/invoice-stack';
import { WebhookReceiver } from '../testing/webhook-receiver';

/**
 * The issue's proof: a notification worker killed (SIGKILL) in the middle of a send delivers the
 * notification once after a restart. Workers run as separate invoice-service processes
 * (INVOICE_NOTIFICATION_WORKER_ENABLED); the service under test in this process takes no jobs. The
 * receiver holds the first request open, so the kill lands while the webhook is in flight.
 */
let stack: InvoiceStack;
let receiver: WebhookReceiver;
const workers: ServiceProcess[] = [];

beforeAll(async () => {
  stack = await startInvoiceStack({ INVOICE_NOTIFICATION_WORKER_ENABLED: 'false', INVOICE_NOTIFICATION_SWEEP_MS: '300', INVOICE_NOTIFICATION_BACKOFF_MS: '200' });
  receiver = await new WebhookReceiver((i) => (i === 0 ? 'hold' : 200)).start();
}, 180_000);

afterAll(async () => {
  for (const w of workers) await w.stop();
  await receiver?.stop();
  await stack?.close();
}, 90_000);

async function startWorker(): Promise<ServiceProcess> {
  const worker = await new ServiceProcess('invoice-service', await freePort(), { ...stack.env, INVOICE_NOTIFICATION_WORKER_ENABLED: 'true', INVOICE_CONSUMERS_ENABLED: 'false', INVOICE_NOTIFICATION_LOCK_MS: '2000' }).start();
  workers.push(worker);
  return worker;
}

it('delivers a webhook once after its worker was killed mid-send', async () => {
  // A partner with a webhook endpoint and two bill invoices to be issued (each issue notifies it).
  const partner = await stack.createPartner();
  const call = stack.partner(partner);
  await call('PUT', '/v2/invoices/message-settings', { body: { language: 'en-US', time_zone: 'UTC', channels: { webhook: { enabled: true } } } });
  const endpoint = (await call('POST', '/v2/invoices/webhook-endpoints', { body: { url: receiver.url() } })).body;
  await call('POST', '/v2/invoices/invoice-information', { body: { title: 'Killed Worker Ltd.', taxpayer_id: '91110000MA00KILL01', invoice_type: 'vat-general', mailing_recipient: 'Zhao', mailing_phone: '010-5555-0000', mailing_address: '9 Crash Lane, Beijing' } });
  const paid = await stack.publish(
    BillPaymentReceivedV1,
    { payment_id: `pay-${randomUUID()}`, partner_id: partner.partner_id, amount: '200.00', currency: 'CNY', paid_at: '2026-11-01T00:00:00.000Z' },
    { key: partner.partner_id, source: '/settle/billing-service' },
  );
  await stack.processed(ConsumerGroups.InvoiceBillPayments, paid);
  const first = (await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'kill-1', amount: '120.00' } })).body;
  const second = (await call('POST', '/v2/invoices/bill-invoices', { body: { request_id: 'kill-2', amount: '80.00' } })).body;

  const doomed = await startWorker();
  expect((await stack.operator('POST', `/operator/invoices/bill-invoices/${first.bill_invoice_id}/issue`, { body: { invoice_number: 'K-0001' } })).status).toBe(200);
  // The worker is sending: the receiver holds the request. Kill it now.
  await waitFor(() => receiver.received.length === 1, 'the first webhook to be in flight', { timeoutMs: 30_000 });
  await doomed.kill();
  expect(doomed.exitSignal).toBe('SIGKILL');
  expect(receiver.accepted()).toHaveLength(0);
  const [inFlight] = await stack.dataSource.query(`SELECT status, attempts FROM notification_deliveries WHERE target = $1`, [endpoint.endpoint_id]);
  expect(inFlight).toEqual({ status: 'pending', attempts: 0 });

  // A new worker takes the job over once its lock expires, and delivers it.
  await startWorker();
  const accepted = await waitFor(() => receiver.accepted()[0], 'the webhook to be accepted after the restart', { timeoutMs: 60_000 });
  expect(JSON.parse(accepted.body)).toMatchObject({ version: '1', type: 'invoice.bill-invoice-issued', data: { bill_invoice_id: first.bill_invoice_id, invoice_number: 'K-0001' } });
  expect(accepted.headers['x-settle-webhook-signature']).toBe(`v1=${createHmac('sha256', endpoint.secret).update(`${accepted.headers['x-settle-webhook-timestamp']}.${accepted.body}`).digest('hex')}`);
  expect(accepted.headers['x-settle-webhook-id']).toBe(receiver.received[0].headers['x-settle-webhook-id']);

  // The barrier: the next notification to the same endpoint arrives; the first was accepted once.
  expect((await stack.operator('POST', `/operator/invoices/bill-invoices/${second.bill_invoice_id}/issue`, { body: { invoice_number: 'K-0002' } })).status).toBe(200);
  await waitFor(() => receiver.accepted().find((h) => JSON.parse(h.body).data.invoice_number === 'K-0002'), 'the second webhook');
  expect(receiver.accepted().filter((h) => JSON.parse(h.body).data.invoice_number === 'K-0001')).toHaveLength(1);

  // The delivery log says what happened: an attempt cut short by the kill, then the accepted one.
  const notifications = (await call('GET', '/v2/invoices/notifications')).body.notifications as Array<{ notification_id: string; params: { invoice_number: string } }>;
  const killed = notifications.find((n) => n.params.invoice_number === 'K-0001')!;
  const log = (await call('GET', `/v2/invoices/notifications/${killed.notification_id}`)).body;
  expect(log.deliveries).toEqual([
    expect.objectContaining({
      status: 'delivered',
      attempts: 1,
      attempt_log: [expect.objectContaining({ outcome: 'interrupted', detail: 'the worker stopped while sending' }), expect.objectContaining({ outcome: 'accepted', detail: 'HTTP 200' })],
    }),
  ]);
}, 240_000);
