import { issueOperatorToken } from '@settle/auth';
import {
  ConsumerGroups,
  ConsumptionSummaryV1,
  IncentiveNoticeIssuedV1,
  IncentivePayoutAppliedV1,
  IncentivePayoutPaidV1,
  IncentivePayoutReleasedV1,
  InvoiceApprovedV1,
  InvoiceRejectedV1,
  TopicDefinitions,
  Topics,
  deadLetterTopicOf,
  physicalGroupId,
  physicalTopic,
} from '@settle/contracts';
import { createKafka, decodeEvent, encodeEvent, provisionTopics } from '@settle/messaging';
import { Money } from '@settle/money';
import { createLogger } from '@settle/platform';
import {
  GatewayClient,
  Json,
  PartnerCredentials,
  ServiceProcess,
  TopicProbe,
  dropSchemas,
  freePort,
  migrateService,
  testInfrastructure,
  testNamespace,
  testSecrets,
  testServiceEnv,
  waitFor,
} from '@settle/testing';
import { Admin, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * An incentive from a partner's consumption to its payout, across the services that each own a
 * part of it, all as processes behind the real gateway on the real PostgreSQL, Redis and Kafka:
 * customer-service (the partner, certified, with its taxpayer type; the consultant-sale customer)
 * → billing-service (usage, the closed cycle's final bill, `consumption-summary`) →
 * incentive-service (the operator's policy, the notice run, the partner's notice and payout
 * application, `payout-applied`) → invoice-service (the invoicing list, the partner's invoice, the
 * operator's review, `invoice.approved`) → incentive-service (the release, `payout-released`) →
 * billing-service (a recharge credited to the partner's cash account, once). Every wait is on a
 * fact: an API answer, an event on Kafka, a consumer group's committed offsets.
 */
const ns = testNamespace();
const secrets = testSecrets();
const schemas = { customer: `${ns.schemaPrefix}customer`, billing: `${ns.schemaPrefix}billing`, incentive: `${ns.schemaPrefix}incentive`, invoice: `${ns.schemaPrefix}invoice` };
let infra: Awaited<ReturnType<typeof testInfrastructure>>;
let processes: ServiceProcess[] = [];
let operator: ReturnType<GatewayClient['operator']>;
let client: GatewayClient;
let probe: TopicProbe;
let producer: Producer;
let admin: Admin;
let db: Client;

type Partner = PartnerCredentials & { partner_id: string };
const names = ['recharge', 'bank', 'voucher'] as const;
type Name = (typeof names)[number];
const partners = {} as Record<Name, Partner>;
const notices = {} as Record<Name, string>;
const PERIOD = '2025-02';

interface SeenEvent {
  type: string;
  id: string;
  subject?: string;
  key?: string;
  topic: string;
  data: Json;
}
const events = (): SeenEvent[] =>
  probe.messages.map((m) => {
    const e = decodeEvent({ key: m.key ? Buffer.from(m.key) : null, value: m.value ? Buffer.from(m.value) : null, headers: m.headers });
    return { type: e.type, id: e.id, subject: e.subject, key: m.key, topic: m.topic, data: e.data as Json };
  });
const seen = (type: string, where: (d: Json) => boolean) => events().filter((e) => e.type === type && where(e.data));
const eventOf = (type: string, where: (d: Json) => boolean, what: string) => waitFor(() => seen(type, where)[0], what, { timeoutMs: 30_000 });

const call = (name: Name) => client.partner(partners[name]);

function ok(what: string, res: { status: number; body: Json }, status: number): Json {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The partner's cash balance in billing (operator accounts API: exact decimal text). */
async function cashOf(name: Name): Promise<string> {
  const res = ok('the balances', await operator('GET', '/operator/billing/accounts', { query: { partner_id: partners[name].partner_id } }), 200);
  const cash = (res.account_balances as Array<{ account_type: string; amount: string; currency: string }>).find((a) => a.account_type === 'cash' && a.currency === 'CNY');
  return cash ? cash.amount : '0.00';
}

/** A consumer group has committed everything on the topic (its lag is 0): whatever was on it is handled. */
async function caughtUp(group: string, topic: string): Promise<boolean> {
  const physical = physicalTopic(topic, ns.topicPrefix);
  const [committed] = await admin.fetchOffsets({ groupId: physicalGroupId(group, ns.topicPrefix), topics: [physical] });
  const ends = new Map((await admin.fetchTopicOffsets(physical)).map((p) => [p.partition, p]));
  return committed.partitions.every((p) => {
    const end = ends.get(p.partition)!;
    return BigInt(p.offset === '-1' ? end.low : p.offset) >= BigInt(end.high);
  });
}
const drained = (group: string, topic: string) => waitFor(() => caughtUp(group, topic), `${group} to consume all of ${topic}`, { timeoutMs: 30_000 });

/** Publishes an event again exactly as it was seen (same id): a redelivery. `id` gives it a new id instead: a re-publication. */
async function publishAgain(event: SeenEvent, id = event.id): Promise<void> {
  const message = encodeEvent({ id, type: event.type, source: '/settle/e2e-redelivery', time: new Date().toISOString(), subject: event.subject, partitionKey: event.key ?? String(event.data.partner_id), data: event.data });
  await producer.send({ topic: event.topic, acks: -1, messages: [message] });
}

const progress = async (name: Name, applicationId: string) => ok('the application', await call(name)('GET', `/v2/incentives/payout-applications/${applicationId}`), 200);

/** The invoicing list invoice-service opened for the application, as the partner sees it. */
const listOf = (name: Name, applicationId: string) =>
  waitFor(async () => {
    const res = await call(name)('GET', '/v2/invoices/invoicing-lists', {});
    return res.status === 200 ? (res.body.invoicing_lists as Json[]).find((l) => l.application_id === applicationId) : undefined;
  }, `the invoicing list of application ${applicationId}`);

let invoiceSeq = 0;
function invoice(amounts: { net_amount: string; tax_amount: string; gross_amount: string; tax_rate: string }) {
  invoiceSeq += 1;
  return { invoice_number: `0448${String(invoiceSeq).padStart(4, '0')}`, invoice_code: '044002000111', invoice_date: '2025-03-10', tracking_number: `SF${1000 + invoiceSeq}`, ...amounts };
}

beforeAll(async () => {
  infra = await testInfrastructure();
  const kafka = createKafka({ clientId: 'e2e-incentive-payout', brokers: infra.kafkaBrokers, logger: createLogger('e2e', 'silent') });
  admin = kafka.admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  producer = kafka.producer();
  await producer.connect();
  const env = (schema?: string) => ({ ...testServiceEnv(infra, ns, secrets, schema), RATE_LIMIT_PER_SECOND: '1000' });
  const services = [
    ['customer-service', schemas.customer],
    ['billing-service', schemas.billing],
    ['incentive-service', schemas.incentive],
    ['invoice-service', schemas.invoice],
  ] as const;
  for (const [service, schema] of services) migrateService(service, env(schema));
  const started = await Promise.all(services.map(async ([service, schema]) => new ServiceProcess(service, await freePort(), env(schema)).start()));
  const [customer, billing, incentive, invoicing] = started;
  const gateway = await new ServiceProcess('gateway', await freePort(), {
    ...env(),
    CUSTOMER_SERVICE_URL: customer.url,
    BILLING_SERVICE_URL: billing.url,
    INCENTIVE_SERVICE_URL: incentive.url,
    INVOICE_SERVICE_URL: invoicing.url,
  }).start();
  processes = [gateway, ...started];
  client = new GatewayClient(gateway.url);
  operator = client.operator(issueOperatorToken({ subject: 'e2e-finance', roles: ['admin'], ttlSeconds: 3600 }, secrets.OPERATOR_TOKEN_SECRET));
  probe = await new TopicProbe(
    infra.kafkaBrokers,
    [Topics.BillingEvents, Topics.IncentiveEvents, Topics.InvoiceEvents].map((t) => physicalTopic(t, ns.topicPrefix)),
    `${ns.topicPrefix}probe`,
  ).start();
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();

  // Partners with completed business information certification and a taxpayer type, each with a consultant-sale customer.
  const taxpayer: Record<Name, string> = { recharge: 'small-scale', bank: 'general', voucher: 'general' };
  const official: Record<Name, string> = { recharge: '500.00', bank: '1234.50', voucher: '80.00' };
  const records: Record<string, unknown>[] = [];
  for (const name of names) {
    partners[name] = ok(
      'creating a partner',
      await operator('POST', '/operator/partners', { body: { name: `E2E ${name} ${randomUUID().slice(0, 6)}`, kind: 'reseller', taxpayer_type: taxpayer[name], certification_status: 'certified' } }),
      201,
    );
    const customerId = ok('registering a customer', await operator('POST', '/operator/customers', { body: { domain_name: `e2e_${name}_${Date.now().toString(36)}` } }), 201).customer_id as string;
    ok(
      'associating',
      await operator('POST', '/operator/associations', { body: { partner_id: partners[name].partner_id, customer_id: customerId, association_type: 1, effective_from: '2024-01-01T00:00:00.000Z' } }),
      201,
    );
    await waitFor(async () => {
      const res = await operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at: '2025-02-01T00:00:00.000Z' } });
      return res.status === 200 && res.body.partner_id === partners[name].partner_id;
    }, `billing to know ${customerId} belongs to the ${name} partner`);
    records.push({
      record_id: `rec-${randomUUID()}`,
      customer_id: customerId,
      service_type_code: 'hws.service.type.ec2',
      resource_type_code: 'hws.resource.type.vm',
      resource_id: `vm-${name}`,
      region_code: 'cn-north-4',
      usage: '3600',
      usage_measure_id: 4,
      charge_mode: 'on-demand',
      record_type: 'consumption',
      official_amount: official[name],
      currency: 'CNY',
      occurred_at: '2025-02-12T00:00:00.000Z',
      bill_cycle: PERIOD,
    });
  }
  // Usage for the cycle, the cycle closed and its bills run: each final bill publishes its consumption summary.
  const ingest = ok('ingesting usage', await operator('POST', '/operator/billing/usage-records/batch', { body: { records } }), 200);
  expect(ingest.error_details).toEqual([]);
  ok('closing the cycle', await operator('POST', `/operator/billing/cycles/${PERIOD}/close`), 200);
  const run = ok('the bill run', await operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: PERIOD } }), 202);
  await waitFor(async () => (await operator('GET', `/operator/billing/bill-runs/${run.run_id}`)).body.status === 'completed', 'the bill run', { timeoutMs: 30_000 });
  for (const name of names) {
    const summary = await eventOf(ConsumptionSummaryV1.type, (d) => d.partner_id === partners[name].partner_id, `the consumption summary of the ${name} partner`);
    expect(summary.data).toMatchObject({ bill_cycle: PERIOD, currency: 'CNY', items: [expect.objectContaining({ eligible_amount: official[name], service_type_code: 'hws.service.type.ec2' })] });
  }
}, 300_000);

afterAll(async () => {
  await probe?.stop();
  await producer?.disconnect();
  await admin?.disconnect();
  await db?.end();
  for (const p of processes) await p.stop();
  if (infra) await dropSchemas(infra.databaseUrl, Object.values(schemas));
}, 60_000);

describe('an incentive from consumption to payout across customer, billing, incentive and invoice services', () => {
  it('issues each partner its notice from the operator’s policy and billing’s consumption', async () => {
    ok(
      'creating a policy',
      await operator('POST', '/operator/incentives/policies', {
        body: { code: `E2E-${Date.now().toString(36)}`, name: 'Flat consultant-sale incentive', partner_kinds: ['reseller'], service_type_codes: ['hws.service.type.ec2'], rate: { type: 'flat', rate: '0.10' }, effective_from: '2025-01' },
      }),
      201,
    );
    // incentive-service has consumed every consumption summary billing published (and every partner event).
    await drained(ConsumerGroups.IncentiveEarnings, Topics.BillingEvents);
    await drained(ConsumerGroups.IncentivePartners, Topics.CustomerEvents);
    const run = ok('the notice run', await operator('POST', '/operator/incentives/notice-runs', { body: { period: PERIOD } }), 202);
    const done = await waitFor(async () => {
      const res = await operator('GET', `/operator/incentives/notice-runs/${run.run_id}`);
      return res.body.status === 'completed' ? res.body : undefined;
    }, 'the notice run', { timeoutMs: 30_000 });
    expect(done).toMatchObject({ partners_failed: 0, partners_pending: 0 });
    expect(done.partners_done).toBeGreaterThanOrEqual(3);

    const expected: Record<Name, string> = { recharge: '50.00', bank: '123.45', voucher: '8.00' };
    for (const name of names) {
      const list = ok('the notices', await call(name)('GET', '/v2/incentives/notices', {}), 200);
      expect(list.notices).toHaveLength(1);
      expect(list.notices[0]).toMatchObject({ period: PERIOD, currency: 'CNY', total_amount: expected[name] });
      notices[name] = list.notices[0].notice_id;
      await eventOf(IncentiveNoticeIssuedV1.type, (d) => d.notice_id === notices[name], `the notice-issued event of the ${name} partner`);
    }
  });

  it('returns a payout to the recharge account: invoicing list, a mismatching invoice refused and rejected, the matching one approved, billing credits exactly the payout once', async () => {
    const before = await cashOf('recharge');
    const applied = ok('applying', await call('recharge')('POST', '/v2/incentives/payout-applications', { body: { notice_id: notices.recharge, method: 'recharge-account' } }), 201);
    // 50.00 to a small-scale taxpayer (3 %) in 2025: gross = the notice amount, net 48.54, tax 1.46.
    expect(applied).toMatchObject({ status: 'awaiting-invoice', amount: '50.00', invoice_required: true, invoice: { gross_amount: '50.00', net_amount: '48.54', tax_amount: '1.46', tax_rate: '0.03' } });
    const applicationId = applied.application_id as string;
    await eventOf(IncentivePayoutAppliedV1.type, (d) => d.application_id === applicationId, 'payout-applied');

    // invoice-service opened the list from payout-applied, with incentive's amounts.
    const list = await listOf('recharge', applicationId);
    expect(list).toMatchObject({ status: 'awaiting-invoice', method: 'recharge-account', period: PERIOD, currency: 'CNY', amount: '50.00', net_amount: '48.54', tax_amount: '1.46', gross_amount: '50.00', tax_rate: '0.03', notice_ids: [notices.recharge] });
    const listId = list.invoicing_list_id as string;

    // An invoice at the general rate: it adds up, but its tax is not the list's.
    const wrong = invoice({ net_amount: '47.17', tax_amount: '2.83', gross_amount: '50.00', tax_rate: '0.06' });
    expect(ok('recording the invoice', await call('recharge')('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: wrong }), 201)).toMatchObject({ status: 'submitted', submissions: 1 });
    const refused = await operator('POST', `/operator/invoices/invoicing-lists/${listId}/approve`);
    expect(refused).toMatchObject({ status: 409, body: { error_code: 'CBC.99007013' } });
    expect(refused.body.mismatches.map((m: { field: string }) => m.field).sort()).toEqual(expect.arrayContaining(['net_amount', 'tax_amount', 'tax_rate']));
    const reason = 'small-scale taxpayer: the tax is 3 %, 1.46';
    expect(ok('rejecting', await operator('POST', `/operator/invoices/invoicing-lists/${listId}/reject`, { body: { reason } }), 200)).toMatchObject({ status: 'rejected' });
    const rejection = await eventOf(InvoiceRejectedV1.type, (d) => d.application_id === applicationId, 'invoice.rejected');
    expect(rejection.data).toMatchObject({ invoicing_list_id: listId, partner_id: partners.recharge.partner_id, reason, tax_amount: '2.83', submission: 1 });
    // incentive-service shows the rejection as progress; the payout keeps waiting.
    const waiting = await waitFor(async () => {
      const p = await progress('recharge', applicationId);
      return p.invoice_status === 'rejected' ? p : undefined;
    }, 'incentive to record the rejection');
    expect(waiting).toMatchObject({ status: 'awaiting-invoice', progress: [{ step: 'applied' }, { step: 'invoice-rejected', reason }] });
    expect(seen(IncentivePayoutReleasedV1.type, (d) => d.partner_id === partners.recharge.partner_id)).toHaveLength(0);

    // The matching invoice, resubmitted and approved.
    const right = invoice({ net_amount: '48.54', tax_amount: '1.46', gross_amount: '50.00', tax_rate: '0.03' });
    expect(ok('resubmitting', await call('recharge')('POST', `/v2/invoices/invoicing-lists/${listId}/invoices`, { body: right }), 201)).toMatchObject({ status: 'submitted', submissions: 2 });
    expect(ok('approving', await operator('POST', `/operator/invoices/invoicing-lists/${listId}/approve`), 200)).toMatchObject({ status: 'approved' });
    const approval = await eventOf(InvoiceApprovedV1.type, (d) => d.application_id === applicationId, 'invoice.approved');
    expect(approval.data).toMatchObject({ invoicing_list_id: listId, partner_id: partners.recharge.partner_id, invoice_number: right.invoice_number, gross_amount: '50.00', currency: 'CNY', submission: 2 });

    const released = await eventOf(IncentivePayoutReleasedV1.type, (d) => d.partner_id === partners.recharge.partner_id, 'payout-released');
    expect(released.data).toMatchObject({ method: 'recharge-account', amount: '50.00', currency: 'CNY', period: PERIOD, notice_ids: [notices.recharge] });
    const credited = await waitFor(async () => {
      const cash = await cashOf('recharge');
      return cash !== before ? cash : undefined;
    }, 'billing to credit the payout');
    expect(Money.of(credited, 'CNY').minus(Money.of(before, 'CNY')).toString()).toBe('50.00');

    // Once: a second approval is refused; the approval and the release redelivered (same ids) and
    // re-published (new ids) change nothing once every consumer has read them.
    expect(await operator('POST', `/operator/invoices/invoicing-lists/${listId}/approve`)).toMatchObject({ status: 409, body: { error_code: 'CBC.99007014' } });
    const [approvalAgain, releaseAgain] = [randomUUID(), randomUUID()];
    await publishAgain(approval);
    await publishAgain(approval, approvalAgain);
    await publishAgain(released);
    await publishAgain(released, releaseAgain);
    await drained(ConsumerGroups.IncentiveInvoiceReviews, Topics.InvoiceEvents);
    // incentive-service's outbox is empty, so a second release would be on Kafka by now.
    await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM "${schemas.incentive}".outbox WHERE published_at IS NULL`)).rows[0].n === 0, "incentive's outbox to drain");
    await drained(ConsumerGroups.BillingIncome, Topics.IncentiveEvents);
    await drained(ConsumerGroups.InvoiceNotifications, Topics.IncentiveEvents);
    expect(await cashOf('recharge')).toBe(credited);
    // The re-publications were handled (not dropped by an inbox): incentive found the payout released, billing the entry posted.
    const handled = async (schema: string, group: string, eventId: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM "${schema}".processed_events WHERE consumer_group = $1 AND event_id = $2`, [group, eventId])).rows[0].n;
    expect(await handled(schemas.incentive, ConsumerGroups.IncentiveInvoiceReviews, approvalAgain)).toBe(1);
    expect(await handled(schemas.billing, ConsumerGroups.BillingIncome, releaseAgain)).toBe(1);
    // What reached Kafka: the release three times (published, redelivered, re-published), all one payout.
    const releases = await waitFor(() => {
      const all = seen(IncentivePayoutReleasedV1.type, (d) => d.partner_id === partners.recharge.partner_id);
      return all.length >= 3 ? all : undefined;
    }, 'the probe to see the redelivered releases');
    expect(new Set(releases.map((e) => e.data.payout_id))).toEqual(new Set([released.data.payout_id]));
    // invoice-service itself published one approval (one outbox row), incentive-service one release.
    const outboxRows = async (schema: string, type: string, subject: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM "${schema}".outbox WHERE event_type = $1 AND subject = $2`, [type, subject])).rows[0].n;
    expect(await outboxRows(schemas.invoice, InvoiceApprovedV1.type, listId)).toBe(1);
    expect(await outboxRows(schemas.incentive, IncentivePayoutReleasedV1.type, released.data.payout_id)).toBe(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM "${schemas.incentive}".outbox WHERE event_type = $1 AND data->>'partner_id' = $2`, [IncentivePayoutReleasedV1.type, partners.recharge.partner_id])).rows[0].n).toBe(1);
    // invoice-service told the partner about every step, and about the payout once.
    const told = ok('the notifications', await call('recharge')('GET', '/v2/invoices/notifications', { query: { limit: 50 } }), 200);
    expect((told.notifications as Json[]).map((n) => n.kind).sort()).toEqual(['invoice-approved', 'invoice-received', 'invoice-received', 'invoice-rejected', 'list-ready', 'payout-paid']);
    expect((told.notifications as Json[]).find((n) => n.kind === 'payout-paid').params).toMatchObject({ payout_id: released.data.payout_id, amount: '50.00', currency: 'CNY', method: 'recharge-account' });
    expect(await progress('recharge', applicationId)).toMatchObject({
      status: 'released',
      progress: [{ step: 'applied' }, { step: 'invoice-rejected' }, { step: 'invoice-approved' }, { step: 'released', payout_id: released.data.payout_id }],
    });
    expect(ok('the notice', await call('recharge')('GET', `/v2/incentives/notices/${notices.recharge}`), 200).status).toBe('paid');
  });

  it('pays a bank transfer through the same invoice path, marked paid by the operator with the bank reference', async () => {
    const before = await cashOf('bank');
    const applied = ok('applying', await call('bank')('POST', '/v2/incentives/payout-applications', { body: { notice_id: notices.bank, method: 'bank-transfer' } }), 201);
    // 123.45 to a general taxpayer (6 %): net 116.46, tax 6.99.
    expect(applied).toMatchObject({ status: 'awaiting-invoice', amount: '123.45', invoice: { gross_amount: '123.45', net_amount: '116.46', tax_amount: '6.99', tax_rate: '0.06' } });
    const applicationId = applied.application_id as string;
    const list = await listOf('bank', applicationId);
    expect(list).toMatchObject({ method: 'bank-transfer', net_amount: '116.46', tax_amount: '6.99', gross_amount: '123.45', tax_rate: '0.06' });
    ok('recording the invoice', await call('bank')('POST', `/v2/invoices/invoicing-lists/${list.invoicing_list_id}/invoices`, { body: invoice({ net_amount: '116.46', tax_amount: '6.99', gross_amount: '123.45', tax_rate: '0.06' }) }), 201);
    ok('approving', await operator('POST', `/operator/invoices/invoicing-lists/${list.invoicing_list_id}/approve`), 200);

    const released = await waitFor(async () => {
      const p = await progress('bank', applicationId);
      return p.status === 'released' ? p : undefined;
    }, 'the release of the bank transfer');
    expect(released.progress.map((s: { step: string }) => s.step)).toEqual(['applied', 'invoice-approved', 'released']);
    const paid = await operator('POST', `/operator/incentives/payout-applications/${applicationId}/mark-paid`, { body: { bank_reference: 'ICBC-20250315-0042' } });
    expect(paid).toMatchObject({ status: 200, body: { status: 'paid', bank_reference: 'ICBC-20250315-0042' } });
    const paidEvent = await eventOf(IncentivePayoutPaidV1.type, (d) => d.application_id === applicationId, 'payout-paid');
    expect(paidEvent.data).toMatchObject({ amount: '123.45', currency: 'CNY', bank_reference: 'ICBC-20250315-0042', partner_id: partners.bank.partner_id });
    expect(ok('the notice', await call('bank')('GET', `/v2/incentives/notices/${notices.bank}`), 200).status).toBe('paid');
    // A bank transfer moves nothing in billing: billing has read the release and left the cash alone.
    await drained(ConsumerGroups.BillingIncome, Topics.IncentiveEvents);
    expect(await cashOf('bank')).toBe(before);
    // invoice-service tells the partner the payout was paid (from payout-paid, with the amount).
    const paidNotice = await waitFor(async () => {
      const res = await call('bank')('GET', '/v2/invoices/notifications', { query: { limit: 50 } });
      return res.status === 200 ? (res.body.notifications as Json[]).find((n) => n.kind === 'payout-paid') : undefined;
    }, 'the payout-paid notification');
    expect(paidNotice.params).toMatchObject({ payout_id: paidEvent.data.payout_id, application_id: applicationId, amount: '123.45', method: 'bank-transfer' });
  });

  it('releases a voucher payout at once, with no invoicing list', async () => {
    const applied = ok('applying', await call('voucher')('POST', '/v2/incentives/payout-applications', { body: { notice_id: notices.voucher, method: 'voucher' } }), 201);
    expect(applied).toMatchObject({ status: 'released', amount: '8.00', invoice_required: false, invoice: null, payout_id: expect.any(String) });
    const released = await eventOf(IncentivePayoutReleasedV1.type, (d) => d.payout_id === applied.payout_id, 'the voucher payout-released');
    expect(released.data).toMatchObject({ method: 'voucher', amount: '8.00', partner_id: partners.voucher.partner_id });
    expect(ok('voucher credit', await call('voucher')('GET', '/v2/incentives/voucher-credits', {}), 200)).toMatchObject({ total_count: 1, voucher_credits: [{ amount: '8.00', currency: 'CNY', payout_id: applied.payout_id }] });
    // invoice-service has read the application and opened no list for it.
    await eventOf(IncentivePayoutAppliedV1.type, (d) => d.application_id === applied.application_id, 'payout-applied of the voucher');
    await drained(ConsumerGroups.InvoicePayoutApplications, Topics.IncentiveEvents);
    const lists = ok('the operator’s lists', await operator('GET', '/operator/invoices/invoicing-lists', { query: { partner_id: partners.voucher.partner_id } }), 200);
    expect(lists.total_count).toBe(0);
    expect(ok('the partner’s lists', await call('voucher')('GET', '/v2/invoices/invoicing-lists', {}), 200).total_count).toBe(0);
  });

  it('dead-lettered nothing: every event one service published, the others could read and apply', async () => {
    for (const [group, topic] of [
      [ConsumerGroups.IncentivePartners, Topics.CustomerEvents],
      [ConsumerGroups.InvoicePartners, Topics.CustomerEvents],
      [ConsumerGroups.BillingPartners, Topics.CustomerEvents],
      [ConsumerGroups.IncentiveEarnings, Topics.BillingEvents],
      [ConsumerGroups.InvoicePayoutApplications, Topics.IncentiveEvents],
      [ConsumerGroups.InvoiceNotifications, Topics.IncentiveEvents],
      [ConsumerGroups.BillingIncome, Topics.IncentiveEvents],
      [ConsumerGroups.IncentiveInvoiceReviews, Topics.InvoiceEvents],
    ] as const) {
      await drained(group, topic);
    }
    const deadLetters: Record<string, number> = {};
    for (const t of TopicDefinitions) {
      const offsets = await admin.fetchTopicOffsets(physicalTopic(deadLetterTopicOf(t.name), ns.topicPrefix));
      const n = offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
      if (n) deadLetters[t.name] = n;
    }
    expect(deadLetters).toEqual({});
  });
});
