import { Topics, UsageRecordV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { BillingStack, startBillingStack } from '../testing/billing-stack';
import { ExternalEvents, externalEvents } from '../testing/external-events';

let stack: BillingStack;
let external: ExternalEvents;
let deadLetters: KafkaMessage[];

beforeAll(async () => {
  stack = await startBillingStack();
  external = await externalEvents(stack, [Topics.UsageRecords]);
  deadLetters = external.deadLetters;
}, 180_000);

afterAll(async () => {
  await external?.close();
  await stack?.close();
}, 60_000);

let seq = 0;
function record(customerId: string, overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    record_id: `rec-${randomUUID()}`,
    customer_id: customerId,
    service_type_code: 'hws.service.type.ec2',
    resource_type_code: 'hws.resource.type.vm',
    resource_id: `vm-${seq}`,
    region_code: 'cn-north-4',
    usage: '3600',
    usage_measure_id: 4,
    charge_mode: 'on-demand',
    record_type: 'consumption',
    official_amount: '100.00',
    currency: 'CNY',
    occurred_at: '2025-01-10T04:00:00.000Z',
    bill_cycle: '2025-01',
    ...overrides,
  };
}

function produce(data: Record<string, unknown>, eventId?: string) {
  return external.publish(UsageRecordV1, data, { key: String(data.customer_id), eventId, source: '/rating-system' });
}

async function lines(partnerId: string, cycle: string, expectedCount: number) {
  return waitFor(async () => {
    const res = await stack.operator('GET', '/operator/billing/rated-lines', { query: { partner_id: partnerId, bill_cycle: cycle } });
    expect(res.status).toBe(200);
    return res.body.total_count === expectedCount ? res.body : undefined;
  }, `${expectedCount} lines of ${partnerId} in ${cycle}`);
}

async function discount(partnerId: string, value: string, from = '2024-01-01T00:00:00Z') {
  const res = await stack.operator('POST', '/operator/billing/discounts', { body: { partner_id: partnerId, service_type_code: 'hws.service.type.ec2', discount: value, effective_from: from } });
  expect(res.status).toBe(201);
}

async function owned(customerId: string, partnerId: string, at: string) {
  await waitFor(async () => {
    const res = await stack.operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at } });
    return res.status === 200 && res.body.partner_id === partnerId;
  }, 'billing to learn the ownership');
}

describe('usage ingest and rating', () => {
  it('rates Kafka records with the partner discount (refund negative), and a duplicate record or redelivered event changes nothing', async () => {
    const partner = await stack.createPartner();
    await discount(partner.partner_id, '0.15');
    const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2024-12-01T00:00:00Z' });
    await owned(customer, partner.partner_id, '2025-01-10T04:00:00Z');

    const consumption = record(customer, { official_amount: '100.00' });
    const eventId = await produce(consumption);
    await produce(record(customer, { record_type: 'refund', official_amount: '30.00', occurred_at: '2025-01-12T04:00:00.000Z' }));
    await produce(record(customer, { official_amount: '10.01', occurred_at: '2025-01-31T17:30:00.000Z', bill_cycle: '2025-02' })); // 2025-02-01 01:30 at UTC+8
    await produce(consumption, eventId); // the same event again
    await produce({ ...consumption, official_amount: '999.00' }); // the same record_id in another event

    const jan = await lines(partner.partner_id, '2025-01', 2);
    expect(jan.lines.map((l: Record<string, unknown>) => [l.record_type, l.official_amount, l.discount, l.discount_amount, l.amount])).toEqual([
      ['consumption', '100.00', '0.15', '15.00', '85.00'],
      ['refund', '-30.00', '0.15', '-4.50', '-25.50'],
    ]);
    expect(jan.totals).toEqual([{ currency: 'CNY', official: '70.00', discount: '10.50', rated: '59.50' }]);
    const feb = await lines(partner.partner_id, '2025-02', 1);
    expect(feb.lines[0]).toMatchObject({ amount: '8.51', customer_id: customer, association_type: 2, line_type: 'usage' });

    // Give the duplicates time to be consumed, then check nothing moved.
    await produce(record(customer, { official_amount: '1.00', occurred_at: '2025-01-20T00:00:00.000Z' }));
    const after = await lines(partner.partner_id, '2025-01', 3);
    expect(after.totals[0].rated).toBe('60.35');
    const stored = await stack.operator('GET', `/operator/billing/usage-records/${consumption.record_id}`);
    expect(stored.body).toMatchObject({ status: 'rated', partner_id: partner.partner_id, official_amount: '100.00', source: 'kafka' });
  });

  it('dead-letters records that break the contract or its business rules, with the reason, and stores nothing', async () => {
    const customer = `cust-${randomUUID()}`;
    const bad = [
      record(customer, { currency: 'XYZ' }),
      record(customer, { official_amount: '1.234' }),
      record(customer, { bill_cycle: '2025-02' }),
      record(customer, { record_type: 'correction' }),
      record(customer, { official_amount: 12.5 }),
    ];
    for (const r of bad) await produce(r);
    const reasons = await waitFor(() => {
      const mine = deadLetters.filter((m) => m.key?.toString() === customer);
      return mine.length === bad.length ? mine.map((m) => [m.headers?.['x-dlt-reason']?.toString(), m.headers?.['x-dlt-error']?.toString()]) : undefined;
    }, 'the bad records on the dead-letter topic');
    expect(reasons.every(([reason]) => reason === 'invalid-data')).toBe(true);
    const errors = reasons.map(([, error]) => error).join('\n');
    expect(errors).toContain('unknown currency XYZ');
    expect(errors).toContain('more decimals than CNY allows');
    expect(errors).toContain('does not match occurred_at');
    expect(errors).toContain('corrects_record_id: is required');
    for (const r of bad) expect((await stack.operator('GET', `/operator/billing/usage-records/${r.record_id}`)).status).toBe(404);
  });

  it('dead-letters at once, as rejected, a correction that names another customer’s record', async () => {
    const owner = `cust-${randomUUID()}`;
    const intruder = `cust-${randomUUID()}`;
    const original = record(owner, { occurred_at: '2025-03-03T00:00:00.000Z', bill_cycle: '2025-03' });
    await produce(original);
    await waitFor(async () => (await stack.operator('GET', `/operator/billing/usage-records/${original.record_id}`)).status === 200, 'the original record');
    const correction = record(intruder, { record_type: 'correction', corrects_record_id: original.record_id, occurred_at: '2025-03-04T00:00:00.000Z', bill_cycle: '2025-03' });
    await produce(correction);
    const dead = await waitFor(() => deadLetters.find((m) => m.key?.toString() === intruder), 'the correction on the dead-letter topic');
    expect([dead.headers?.['x-dlt-reason']?.toString(), dead.headers?.['x-dlt-attempts']?.toString(), dead.headers?.['x-dlt-error']?.toString()]).toEqual([
      'rejected',
      '1',
      `correction ${correction.record_id} is for customer ${intruder} but record ${original.record_id} is for another customer.`,
    ]);
    expect((await stack.operator('GET', `/operator/billing/usage-records/${correction.record_id}`)).status).toBe(404);
  });

  it('refuses a record whose service type or unit the catalog does not have (dead letter `rejected`, batch error_details), and books a code in any case as the catalog spells it', async () => {
    const partner = await stack.createPartner();
    const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2025-04-01T00:00:00Z' });
    await stack.owned(customer, partner.partner_id, '2025-04-02T00:00:00.000Z');
    const at = { occurred_at: '2025-04-02T00:00:00.000Z', bill_cycle: '2025-04' };
    const unknownType = record(customer, { ...at, service_type_code: 'hws.service.type.teleport' });
    const unknownUnit = record(customer, { ...at, usage_measure_id: 999 });
    await produce(unknownType);
    await produce(unknownUnit);
    const dead = await waitFor(() => {
      const mine = deadLetters.filter((m) => m.key?.toString() === customer);
      return mine.length === 2 ? mine.map((m) => [m.headers?.['x-dlt-reason']?.toString(), m.headers?.['x-dlt-attempts']?.toString(), m.headers?.['x-dlt-error']?.toString()]) : undefined;
    }, 'both records on the dead-letter topic');
    expect(dead).toEqual(
      expect.arrayContaining([
        ['rejected', '1', `service_type_code hws.service.type.teleport of record ${unknownType.record_id} is not a service type of the catalog (GET /v2/products/service-types); an operator adds one with POST /operator/billing/service-types.`],
        ['rejected', '1', `usage_measure_id 999 of record ${unknownUnit.record_id} is not a unit of measure of the catalog (GET /v2/bases/measurements).`],
      ]),
    );
    for (const r of [unknownType, unknownUnit]) expect((await stack.operator('GET', `/operator/billing/usage-records/${r.record_id}`)).status).toBe(404);

    // Over HTTP: the same reasons in error_details; the upper-case code is the catalog's OBS.
    const upper = record(customer, { ...at, service_type_code: 'HWS.SERVICE.TYPE.OBS', official_amount: '7.00' });
    const again = record(customer, { ...at, service_type_code: 'hws.service.type.teleport' });
    const res = await stack.operator('POST', '/operator/billing/usage-records/batch', { body: { records: [upper, again] } });
    expect(res.body).toMatchObject({
      total_count: 2,
      success_count: 1,
      rated_count: 1,
      error_details: [{ index: 1, record_id: again.record_id, error_code: 'CBC.0100', error_msg: expect.stringContaining('is not a service type of the catalog') }],
    });
    expect((await stack.operator('GET', `/operator/billing/usage-records/${upper.record_id}`)).body).toMatchObject({ status: 'rated', service_type_code: 'hws.service.type.obs' });

    // Once an operator adds the service type, the same record (a dead letter replayed) is booked.
    const added = await stack.operator('POST', '/operator/billing/service-types', { body: { service_type_code: 'hws.service.type.teleport', service_type_name: '传送', abbreviation: 'TP' } });
    expect(added.status).toBe(201);
    await produce(unknownType);
    const booked = await waitFor(async () => {
      const r = await stack.operator('GET', `/operator/billing/usage-records/${unknownType.record_id}`);
      return r.status === 200 ? r.body : undefined;
    }, 'the replayed record to be booked');
    expect(booked).toMatchObject({ status: 'rated', service_type_code: 'hws.service.type.teleport', partner_id: partner.partner_id });
  });

  it('keeps a record that arrives before its customer’s association and books it when the ownership arrives', async () => {
    const partner = await stack.createPartner();
    const registered = await stack.operator('POST', '/operator/customers', { body: { domain_name: `late_${Date.now().toString(36)}` } });
    expect(registered.status).toBe(201);
    const customer = registered.body.customer_id as string;
    const early = record(customer, { occurred_at: '2025-05-05T00:00:00.000Z', bill_cycle: '2025-05', official_amount: '40.00' });
    await produce(early);
    const waiting = await waitFor(async () => {
      const res = await stack.operator('GET', `/operator/billing/usage-records/${early.record_id}`);
      return res.status === 200 ? res.body : undefined;
    }, 'the record to be stored');
    expect(waiting).toMatchObject({ status: 'unattributed', partner_id: null });

    const associated = await stack.operator('POST', '/operator/associations', { body: { partner_id: partner.partner_id, customer_id: customer, association_type: 2, effective_from: '2025-05-01T00:00:00Z' } });
    expect(associated.status).toBe(201);
    const may = await lines(partner.partner_id, '2025-05', 1);
    expect(may.lines[0]).toMatchObject({ record_id: early.record_id, amount: '40.00', discount: '0' });
    expect((await stack.operator('GET', `/operator/billing/usage-records/${early.record_id}`)).body).toMatchObject({ status: 'rated', partner_id: partner.partner_id });
  });

  it('attributes each record of a customer that changed partner mid-cycle to the owner at its time (HTTP batch, with error_details)', async () => {
    const a = await stack.createPartner();
    const b = await stack.createPartner();
    await discount(a.partner_id, '0.10');
    await discount(b.partner_id, '0.20');
    const customer = await stack.associate(a.partner_id, { effectiveFrom: '2025-06-01T00:00:00Z' });
    await owned(customer, a.partner_id, '2025-06-10T00:00:00Z');
    const ended = await stack.operator('POST', '/operator/associations/end', { body: { customer_id: customer, effective_to: '2025-06-15T16:00:00Z', reason: 'moved to another partner' } });
    expect(ended.status).toBe(200);
    const moved = await stack.operator('POST', '/operator/associations', { body: { partner_id: b.partner_id, customer_id: customer, association_type: 2, effective_from: '2025-06-15T16:00:00Z' } });
    expect(moved.status).toBe(201);
    await owned(customer, b.partner_id, '2025-06-20T00:00:00Z');
    await owned(customer, a.partner_id, '2025-06-10T00:00:00Z');

    const before = record(customer, { occurred_at: '2025-06-10T00:00:00.000Z', bill_cycle: '2025-06', official_amount: '200.00' });
    const afterSwitch = record(customer, { occurred_at: '2025-06-20T00:00:00.000Z', bill_cycle: '2025-06', official_amount: '50.05' });
    const res = await stack.operator('POST', '/operator/billing/usage-records/batch', {
      body: { records: [before, { ...afterSwitch }, record(customer, { currency: 'XYZ' }), before] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total_count: 4, success_count: 3, rated_count: 2, duplicate_count: 1, unattributed_count: 0 });
    expect(res.body.error_details).toEqual([expect.objectContaining({ index: 2, error_code: 'CBC.0100', error_msg: expect.stringContaining('unknown currency XYZ') })]);

    // A batch of one correction whose original billing never received: refused in error_details like any other, not a 500.
    const orphan = record(customer, { record_type: 'correction', corrects_record_id: `rec-${randomUUID()}`, occurred_at: '2025-06-20T00:00:00.000Z', bill_cycle: '2025-06' });
    const alone = await stack.operator('POST', '/operator/billing/usage-records/batch', { body: { records: [orphan] } });
    expect(alone.status).toBe(200);
    expect(alone.body).toMatchObject({ total_count: 1, success_count: 0 });
    expect(alone.body.error_details).toEqual([expect.objectContaining({ index: 0, record_id: orphan.record_id, error_code: 'CBC.0100' })]);

    const ofA = await lines(a.partner_id, '2025-06', 1);
    const ofB = await lines(b.partner_id, '2025-06', 1);
    expect(ofA.lines[0]).toMatchObject({ record_id: before.record_id, amount: '180.00' });
    expect(ofB.lines[0]).toMatchObject({ record_id: afterSwitch.record_id, amount: '40.04' });
  });

  it('re-rates in place while the cycle is open; after close a correction, a cancellation and a late record land in the next open cycle', async () => {
    const partner = await stack.createPartner();
    await discount(partner.partner_id, '0.15');
    const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2025-02-01T00:00:00Z' });
    await owned(customer, partner.partner_id, '2025-03-10T00:00:00Z');
    const march = { occurred_at: '2025-03-10T00:00:00.000Z', bill_cycle: '2025-03' };
    const april = { occurred_at: '2025-04-02T00:00:00.000Z', bill_cycle: '2025-04' };
    const r1 = record(customer, { ...march, official_amount: '100.00' });
    const r2 = record(customer, { ...march, official_amount: '20.00' });
    await produce(r1);
    await produce(r2);
    await lines(partner.partner_id, '2025-03', 2);

    // open cycle: the line is re-rated in place, its history kept
    await produce(record(customer, { ...march, record_type: 'correction', corrects_record_id: r1.record_id, official_amount: '120.00' }));
    const reRated = await waitFor(async () => {
      const res = await stack.operator('GET', `/operator/billing/rated-lines/by-record/${r1.record_id}/revisions`);
      return res.status === 200 && res.body.revisions.length === 2 ? res.body : undefined;
    }, 'the in-place correction');
    expect(reRated.line).toMatchObject({ bill_cycle: '2025-03', amount: '102.00', revision: 2 });
    expect(reRated.revisions.map((r: { amount: string }) => r.amount)).toEqual(['85.00', '102.00']);

    const closed = await stack.operator('POST', '/operator/billing/cycles/2025-03/close');
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ bill_cycle: '2025-03', status: 'closed', closed_by: 'test-operator' });

    const c2 = record(customer, { ...april, record_type: 'correction', corrects_record_id: r1.record_id, official_amount: '80.00' });
    const cancel = record(customer, { ...april, record_type: 'cancellation', corrects_record_id: r2.record_id, official_amount: '0' });
    const late = record(customer, { ...march, official_amount: '10.00' });
    const res = await stack.operator('POST', '/operator/billing/usage-records/batch', { body: { records: [c2, cancel, late] } });
    expect(res.body).toMatchObject({ success_count: 3, error_details: [] });

    const apr = await lines(partner.partner_id, '2025-04', 3);
    const byRecord = Object.fromEntries(apr.lines.map((l: Record<string, unknown>) => [l.record_id, l]));
    // 80 × 0.85 = 68.00, the closed March carries 102.00: −34.00
    expect(byRecord[c2.record_id]).toMatchObject({ line_type: 'correction-adjustment', references_record_id: r1.record_id, official_amount: '-40.00', amount: '-34.00', usage_cycle: '2025-03' });
    expect(byRecord[cancel.record_id]).toMatchObject({ line_type: 'correction-adjustment', references_record_id: r2.record_id, amount: '-17.00' });
    expect(byRecord[late.record_id]).toMatchObject({ line_type: 'usage', usage_cycle: '2025-03', amount: '8.50' });
    const mar = await lines(partner.partner_id, '2025-03', 2);
    expect(mar.totals[0].rated).toBe('119.00'); // the closed cycle is untouched: 102.00 + 17.00
  });

  it('answers caller mistakes with 4xx in the API error shape', async () => {
    const partner = await stack.createPartner();
    const tooMany = await stack.operator('POST', '/operator/billing/usage-records/batch', { body: { records: Array.from({ length: 1001 }, () => ({})) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error_code).toBe('CBC.0100');
    const future = await stack.operator('POST', '/operator/billing/cycles/2999-01/close');
    expect(future.status).toBe(409);
    const badCycle = await stack.operator('POST', '/operator/billing/cycles/2025-13/close');
    expect(badCycle.status).toBe(400);
    const badDiscount = await stack.operator('POST', '/operator/billing/discounts', { body: { partner_id: partner.partner_id, service_type_code: 'hws.service.type.ec2', discount: '1.5', effective_from: '2025-01-01T00:00:00Z' } });
    expect(badDiscount.status).toBe(400);
    await discount(partner.partner_id, '0.10', '2025-01-01T00:00:00Z');
    const overlap = await stack.operator('POST', '/operator/billing/discounts', { body: { partner_id: partner.partner_id, service_type_code: 'hws.service.type.ec2', discount: '0.2', effective_from: '2025-03-01T00:00:00Z' } });
    expect(overlap.status).toBe(409);
    expect((await stack.operator('GET', '/operator/billing/usage-records/nope')).status).toBe(404);
    const asPartner = await stack.partner(partner)('GET', '/operator/billing/rated-lines', { query: { partner_id: partner.partner_id, bill_cycle: '2025-01' } });
    expect([401, 403]).toContain(asPartner.status);
  });
});
