import { ConsumerGroups, IncentivePayoutAppliedV1, IncentivePayoutPaidV1, Queues } from '@settle/contracts';
import { PartnerCredentials, waitFor } from '@settle/testing';
import { Queue } from 'bullmq';
import { createHmac, randomUUID } from 'node:crypto';
import { InvoiceStack, startInvoiceStack } from '../testing/invoice-stack';
import { TestSmtpServer } from '../testing/test-smtp-server';
import { WebhookReceiver } from '../testing/webhook-receiver';

/**
 * Invoice notifications on BullMQ (issue 11, capability 4) on the real stack: email over SMTP to a
 * real SMTP server started here, in the partner's language with dates in its time zone; signed
 * webhooks to receivers started here; retries with backoff; the delivery log; a failed delivery
 * kept for an operator's replay; an endpoint that keeps failing paused and reported.
 */
let stack: InvoiceStack;
const smtp = new TestSmtpServer();
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  await smtp.start();
  stack = await startInvoiceStack({
    SMTP_URL: smtp.url,
    INVOICE_NOTIFICATION_ATTEMPTS: '3',
    INVOICE_NOTIFICATION_BACKOFF_MS: '200',
    INVOICE_NOTIFICATION_SWEEP_MS: '300',
    INVOICE_WEBHOOK_PAUSE_AFTER: '4',
  });
}, 180_000);
afterAll(async () => {
  for (const r of receivers) await r.stop();
  await stack?.close();
  await smtp.stop();
}, 60_000);

async function receiver(answer?: ConstructorParameters<typeof WebhookReceiver>[0]): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver(answer).start();
  receivers.push(r);
  return r;
}

async function partnerWith(settings: Record<string, unknown>): Promise<PartnerCredentials & { partner_id: string }> {
  const partner = await stack.createPartner();
  await stack.certify(partner.partner_id);
  const res = await stack.partner(partner)('PUT', '/v2/invoices/message-settings', { body: settings });
  if (res.status !== 200) throw new Error(`settings answered ${res.status}: ${JSON.stringify(res.body)}`);
  return partner;
}

function applyFor(partnerId: string, appliedAt = '2026-03-31T18:30:00.000Z', eventId?: string, applicationId = randomUUID()) {
  const data = {
    application_id: applicationId,
    partner_id: partnerId,
    notice_ids: ['notice-1'],
    period: '2026-03',
    method: 'bank-transfer',
    invoice_required: true,
    amount: '1060.00',
    currency: 'CNY',
    invoice: { net_amount: '1000.00', tax_amount: '60.00', gross_amount: '1060.00', tax_rate: '0.06', taxpayer_type: 'general' },
    applied_at: appliedAt,
  };
  return stack.publish(IncentivePayoutAppliedV1, data, { key: partnerId, eventId, source: '/settle/incentive-service' });
}

function paid(partnerId: string, payoutId = `payout-${randomUUID().slice(0, 8)}`) {
  return stack.publish(
    IncentivePayoutPaidV1,
    { payout_id: payoutId, application_id: randomUUID(), partner_id: partnerId, amount: '88.00', currency: 'CNY', bank_reference: 'BR-1', paid_at: '2026-11-20T08:00:00.000Z', paid_by: 'operator:finance' },
    { key: partnerId, source: '/settle/incentive-service' },
  );
}

async function notificationsOf(partner: PartnerCredentials) {
  const res = await stack.partner(partner)('GET', '/v2/invoices/notifications');
  return res.body.notifications as Array<{ notification_id: string; kind: string; deliveries: Array<{ status: string; channel: string; delivery_id: string }> }>;
}

async function logOf(partner: PartnerCredentials, kind: string, where: (log: { deliveries: Array<{ status: string }> }) => boolean) {
  return waitFor(async () => {
    const n = (await notificationsOf(partner)).find((x) => x.kind === kind);
    if (!n) return undefined;
    const log = await stack.partner(partner)('GET', `/v2/invoices/notifications/${n.notification_id}`);
    return where(log.body) ? log.body : undefined;
  }, `the ${kind} notification's delivery log`, { timeoutMs: 30_000 });
}

const signatureOf = (secret: string, timestamp: string, body: string) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

describe('invoice notifications', () => {
  it("emails the partner in its language, with dates in its time zone, once per step", async () => {
    const zh = await partnerWith({ language: 'zh-CN', time_zone: 'Asia/Shanghai', channels: { email: { enabled: true, addresses: ['finance@zh.example.com'] } } });
    const en = await partnerWith({ language: 'en-US', time_zone: 'America/New_York', channels: { email: { enabled: true, addresses: ['ap@en.example.com'] } } });
    await applyFor(zh.partner_id);
    const applicationId = randomUUID();
    const eventId = await applyFor(en.partner_id, undefined, undefined, applicationId);

    const [zhMail] = await waitFor(() => (smtp.to('finance@zh.example.com').length ? smtp.to('finance@zh.example.com') : undefined), 'the Chinese email to arrive');
    expect(zhMail.subject).toBe('开票清单已生成：2026-03 激励发放');
    expect(zhMail.text).toContain('申请时间 2026-04-01 02:30 (Asia/Shanghai)');
    expect(zhMail.text).toContain('价税合计 1060.00 CNY');
    expect(zhMail.text).toContain('Partner Invoice Desk');
    const [enMail] = await waitFor(() => (smtp.to('ap@en.example.com').length ? smtp.to('ap@en.example.com') : undefined), 'the English email to arrive');
    expect(enMail.subject).toBe('Invoicing list ready: incentive payout for 2026-03');
    expect(enMail.text).toContain('applied 2026-03-31 14:30 (America/New_York)');
    expect(enMail.text).toContain('total 1060.00 CNY');
    expect(enMail.messageId).toMatch(/@settle\.invoice>$/);

    // The same event again sends nothing; the next step (a payout paid) arrives as a second email.
    await applyFor(en.partner_id, undefined, eventId, applicationId);
    await stack.processed(ConsumerGroups.InvoicePayoutApplications, await applyFor(en.partner_id, undefined, undefined, applicationId));
    await paid(en.partner_id);
    await waitFor(() => smtp.to('ap@en.example.com').find((m) => m.subject.startsWith('Incentive paid')), 'the payout email');
    expect(smtp.to('ap@en.example.com').map((m) => m.subject)).toEqual(['Invoicing list ready: incentive payout for 2026-03', 'Incentive paid: 88.00 CNY']);
    const log = await logOf(en, 'list-ready', (l) => l.deliveries.every((d) => d.status === 'delivered'));
    expect(log.deliveries).toEqual([expect.objectContaining({ channel: 'email', target: 'ap@en.example.com', status: 'delivered', attempts: 1, attempt_log: [expect.objectContaining({ outcome: 'accepted', detail: expect.stringContaining('smtp: 250') })] })]);
  });

  it('delivers a webhook that fails twice exactly once, signed with the endpoint secret, logging every attempt', async () => {
    const hooks = await receiver((i) => (i < 2 ? 503 : 200));
    const partner = await partnerWith({ language: 'en-US', time_zone: 'UTC', channels: { webhook: { enabled: true } } });
    const registered = await stack.partner(partner)('POST', '/v2/invoices/webhook-endpoints', { body: { url: hooks.url() } });
    expect(registered).toMatchObject({ status: 201, body: { status: 'active', secret: expect.stringMatching(/^whsec_/), signature: { header: 'x-settle-webhook-signature' } } });
    const secret = registered.body.secret as string;
    // The secret is kept sealed, under a key id, never readable.
    const [row] = await stack.dataSource.query(`SELECT sealed_secret FROM webhook_endpoints WHERE id = $1`, [registered.body.endpoint_id]);
    expect(row.sealed_secret).toMatch(/^v2:legacy:/);
    expect(row.sealed_secret).not.toContain(secret.slice(6));

    await paid(partner.partner_id, 'payout-hook-1');
    const log = await logOf(partner, 'payout-paid', (l) => l.deliveries[0]?.status === 'delivered');
    expect(log.deliveries[0]).toMatchObject({ channel: 'webhook', target: registered.body.endpoint_id, status: 'delivered', attempts: 3 });
    expect(log.deliveries[0].attempt_log.map((a: { outcome: string; detail: string }) => [a.outcome, a.detail])).toEqual([
      ['failed', 'HTTP 503'],
      ['failed', 'HTTP 503'],
      ['accepted', 'HTTP 200'],
    ]);
    // Backoff: the retries were spaced (200 ms, then about 400 ms, with jitter of at most half).
    expect(hooks.received[1].at - hooks.received[0].at).toBeGreaterThanOrEqual(100);
    expect(hooks.received[2].at - hooks.received[1].at).toBeGreaterThanOrEqual(200);

    // A second step to the same endpoint is the barrier: by then a second acceptance of the first would have shown.
    await paid(partner.partner_id, 'payout-hook-2');
    await waitFor(() => hooks.accepted().find((h) => JSON.parse(h.body).data.payout_id === 'payout-hook-2'), 'the second webhook');
    const first = hooks.accepted().filter((h) => JSON.parse(h.body).data.payout_id === 'payout-hook-1');
    expect(first).toHaveLength(1);
    const [hook] = first;
    expect(hook.headers['x-settle-webhook-signature']).toBe(signatureOf(secret, hook.headers['x-settle-webhook-timestamp'], hook.body));
    expect(new Set(hooks.received.slice(0, 3).map((h) => h.headers['x-settle-webhook-id']))).toEqual(new Set([log.deliveries[0].delivery_id]));
    expect(JSON.parse(hook.body)).toEqual({
      version: '1',
      id: log.notification_id,
      type: 'invoice.payout-paid',
      occurred_at: '2026-11-20T08:00:00.000Z',
      partner_id: partner.partner_id,
      data: expect.objectContaining({ payout_id: 'payout-hook-1', amount: '88.00', currency: 'CNY', method: 'bank-transfer' }),
    });

    // Rotation: the next delivery is signed with the new secret only.
    const rotated = await stack.partner(partner)('POST', `/v2/invoices/webhook-endpoints/${registered.body.endpoint_id}/rotate-secret`);
    expect(rotated.body).toMatchObject({ secret_version: 2, secret: expect.stringMatching(/^whsec_/) });
    await paid(partner.partner_id, 'payout-hook-3');
    const third = await waitFor(() => hooks.accepted().find((h) => JSON.parse(h.body).data.payout_id === 'payout-hook-3'), 'the webhook after rotation');
    expect(third.headers['x-settle-webhook-signature']).toBe(signatureOf(rotated.body.secret, third.headers['x-settle-webhook-timestamp'], third.body));
    expect(third.headers['x-settle-webhook-signature']).not.toBe(signatureOf(secret, third.headers['x-settle-webhook-timestamp'], third.body));
  });

  it('keeps a delivery failed with its reason after the last attempt for a replay, and pauses and reports an endpoint that keeps failing', async () => {
    let up = false;
    const hooks = await receiver(() => (up ? 200 : 500));
    const partner = await partnerWith({ language: 'zh-CN', time_zone: 'Asia/Shanghai', channels: { webhook: { enabled: true } } });
    const endpoint = (await stack.partner(partner)('POST', '/v2/invoices/webhook-endpoints', { body: { url: hooks.url('/down') } })).body;

    await paid(partner.partner_id, 'payout-down-1');
    const failedLog = await logOf(partner, 'payout-paid', (l) => l.deliveries[0]?.status === 'failed');
    expect(failedLog.deliveries[0]).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 500' });
    const deliveryId = failedLog.deliveries[0].delivery_id as string;
    // The job stays in BullMQ's failed set, with its reason.
    const queue = new Queue(Queues.InvoiceNotifications, { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
    try {
      const job = await queue.getJob(`delivery-${deliveryId}-0`);
      expect(await job?.getState()).toBe('failed');
      expect(job?.failedReason).toBe('HTTP 500');
    } finally {
      await queue.close();
    }
    const failedList = await stack.operator('GET', '/operator/invoices/notification-deliveries', { query: { status: 'failed', partner_id: partner.partner_id } });
    expect(failedList.body.deliveries).toEqual([expect.objectContaining({ delivery_id: deliveryId, last_error: 'HTTP 500' })]);

    // One more failure makes four in a row: the endpoint is paused, the delivery held, the operator told.
    await paid(partner.partner_id, 'payout-down-2');
    const paused = await waitFor(async () => {
      const res = await stack.operator('GET', '/operator/invoices/webhook-endpoints', { query: { status: 'paused' } });
      return res.body.endpoints.find((e: { endpoint_id: string }) => e.endpoint_id === endpoint.endpoint_id);
    }, 'the endpoint to be paused');
    expect(paused).toMatchObject({ partner_id: partner.partner_id, status: 'paused', consecutive_failures: 4, paused_reason: expect.stringContaining('HTTP 500') });
    const calls = hooks.received.length;
    expect(calls).toBe(4);
    await paid(partner.partner_id, 'payout-down-3');
    await waitFor(async () => (await notificationsOf(partner)).filter((n) => n.deliveries.every((d) => d.status === 'held')).length === 2, 'two held deliveries');
    expect(hooks.received.length).toBe(calls);

    // The receiver is fixed; the partner resumes the endpoint; what it held arrives; the operator replays the failed one.
    up = true;
    const resumed = await stack.partner(partner)('POST', `/v2/invoices/webhook-endpoints/${endpoint.endpoint_id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', consecutive_failures: 0 });
    const replay = await stack.operator('POST', `/operator/invoices/notification-deliveries/${deliveryId}/replay`);
    expect(replay).toMatchObject({ status: 200, body: { status: 'pending', generation: 0 } });
    await waitFor(async () => (await notificationsOf(partner)).every((n) => n.deliveries.every((d) => d.status === 'delivered')), 'every delivery to be delivered', { timeoutMs: 30_000 });
    const payouts = hooks.accepted().map((h) => JSON.parse(h.body).data.payout_id).sort();
    expect(payouts).toEqual(['payout-down-1', 'payout-down-2', 'payout-down-3']);
    expect((await stack.operator('POST', `/operator/invoices/notification-deliveries/${deliveryId}/replay`)).status).toBe(409);
  });

  it('refuses bad settings and endpoints with 400, and shows no partner another partner’s endpoints or notifications', async () => {
    const a = await partnerWith({ language: 'en-US', time_zone: 'Europe/Berlin', channels: { webhook: { enabled: true } } });
    const b = await stack.createPartner();
    const call = stack.partner(b);
    expect((await call('PUT', '/v2/invoices/message-settings', { body: { language: 'fr-FR', time_zone: 'UTC', channels: {} } })).status).toBe(400);
    expect((await call('PUT', '/v2/invoices/message-settings', { body: { language: 'en-US', time_zone: 'Mars/Olympus', channels: {} } })).status).toBe(400);
    expect((await call('PUT', '/v2/invoices/message-settings', { body: { language: 'en-US', time_zone: 'UTC', channels: { email: { enabled: true, addresses: [] } } } })).status).toBe(400);
    expect((await call('POST', '/v2/invoices/webhook-endpoints', { body: { url: 'ftp://example.com/x' } })).status).toBe(400);
    const hooks = await receiver();
    const endpoint = (await stack.partner(a)('POST', '/v2/invoices/webhook-endpoints', { body: { url: hooks.url('/a') } })).body;
    expect((await call('POST', `/v2/invoices/webhook-endpoints/${endpoint.endpoint_id}/rotate-secret`)).status).toBe(404);
    expect((await call('DELETE', `/v2/invoices/webhook-endpoints/${endpoint.endpoint_id}`)).status).toBe(404);
    expect((await call('GET', '/v2/invoices/webhook-endpoints')).body).toMatchObject({ total_count: 0 });
    const eventId = await paid(a.partner_id, 'payout-private');
    await stack.processed(ConsumerGroups.InvoiceNotifications, eventId);
    const [mine] = await notificationsOf(a);
    expect((await call('GET', `/v2/invoices/notifications/${mine.notification_id}`)).status).toBe(404);
    expect((await call('GET', '/v2/invoices/notifications')).body).toMatchObject({ total_count: 0 });
    expect((await stack.partner(a)('GET', '/v2/invoices/message-settings')).body).toMatchObject({ language: 'en-US', time_zone: 'Europe/Berlin' });
  });
});
