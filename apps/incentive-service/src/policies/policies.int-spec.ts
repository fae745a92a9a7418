import { waitFor } from '@settle/testing';
import { startIncentiveStack, IncentiveStack, usageRecord } from '../testing/incentive-stack';

/**
 * Policies and accrual on the real stack: operators create, change and retire versioned policies;
 * a partner reads those that apply to its kind and level, and the public API's policy query in
 * its shape; billing's final bills accrue once per source, whatever is redelivered.
 */
let stack: IncentiveStack;
beforeAll(async () => {
  stack = await startIncentiveStack();
}, 240_000);
afterAll(() => stack?.close(), 60_000);

const terms = {
  name: 'Consultant-sale incentive for resellers',
  partner_kinds: ['reseller'],
  service_type_codes: ['hws.service.type.ec2', 'hws.service.type.obs'],
  service_type_names: { 'hws.service.type.ec2': 'Elastic Cloud Server' },
  rate: { type: 'tiered', tiers: [{ up_to: '100000.00', rate: '0.02' }, { up_to: null, rate: '0.04' }] },
  discount_allowed: true,
  effective_from: '2025-01',
};

describe('incentive policies', () => {
  it('are created, changed from a later period and retired as versions; a partner reads those that apply to it, also in the public API’s shape', async () => {
    const code = `POL-${Date.now().toString(36)}`;
    const created = await stack.createPolicy({ code, ...terms });
    expect(created).toMatchObject({ code, current: { version: 1, effective_from: '2025-01', effective_to: null, rate: terms.rate, association_types: [1] } });
    const id = created.policy_id as string;
    const levelOnly = await stack.createPolicy({ code: `${code}-LEAD`, ...terms, partner_levels: ['leading'], service_type_codes: ['hws.service.type.rds'] });
    expect(levelOnly.current).toMatchObject({ partner_levels: ['leading'] });

    const changed = await stack.operator('POST', `/operator/incentives/policies/${id}/versions`, { body: { ...terms, rate: { type: 'flat', rate: '0.03' }, discount_allowed: false, effective_from: '2025-07' } });
    expect(changed).toMatchObject({ status: 201, body: { current: { version: 2, effective_from: '2025-07', rate: { type: 'flat', rate: '0.03' } } } });
    expect(await stack.operator('POST', `/operator/incentives/policies/${id}/versions`, { body: { ...terms, effective_from: '2025-07' } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
    const retired = await stack.operator('POST', `/operator/incentives/policies/${id}/retire`, { body: { effective_to: '2026-01' } });
    expect(retired).toMatchObject({ status: 200, body: { current: { version: 3, effective_from: '2025-07', effective_to: '2026-01' } } });
    expect((await stack.operator('GET', `/operator/incentives/policies/${id}`)).body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);

    const partner = await stack.createPartner({ kind: 'reseller' });
    await stack.knowsPartner(partner.partner_id);
    const call = stack.partner(partner);
    const may = await call('GET', '/v2/incentives/policies', { query: { period: '2025-05' } });
    expect(may.status).toBe(200);
    expect(may.body.policies.filter((p: { code: string }) => p.code === code)).toEqual([expect.objectContaining({ policy_id: id, version: 1, rate: terms.rate })]);
    expect(may.body.policies.some((p: { code: string }) => p.code === `${code}-LEAD`)).toBe(false);
    const august = await call('GET', '/v2/incentives/policies', { query: { period: '2025-08' } });
    expect(august.body.policies.filter((p: { code: string }) => p.code === code)).toEqual([expect.objectContaining({ version: 3, rate: { type: 'flat', rate: '0.03' } })]);
    const after = await call('GET', '/v2/incentives/policies', { query: { period: '2026-02' } });
    expect(after.body.policies.some((p: { code: string }) => p.code === code)).toBe(false);

    // The public API: per service type at `time` (May 2025 in UTC+08:00): the code and whether discounts are allowed.
    const compatible = await call('GET', '/v2/products/incentive-discount-policies', { query: { time: '2025-05-06T08:05:01Z' } });
    expect(compatible.status).toBe(200);
    const mine = compatible.body.policies.filter((p: { incentive_policy: string }) => p.incentive_policy === code);
    expect(mine).toEqual([
      { service_type_code: 'hws.service.type.ec2', service_type_name: 'Elastic Cloud Server', incentive_policy: code, allow_discount: '1' },
      { service_type_code: 'hws.service.type.obs', service_type_name: 'hws.service.type.obs', incentive_policy: code, allow_discount: '1' },
    ]);
    const one = await call('GET', '/v2/products/incentive-discount-policies', { query: { time: '2025-08-01T00:00:00Z', service_type_code: 'hws.service.type.obs', limit: '1' } });
    expect(one.body).toMatchObject({ total_count: expect.any(Number), policies: [expect.objectContaining({ service_type_code: 'hws.service.type.obs', allow_discount: '0' })] });
    expect(await call('GET', '/v2/products/incentive-discount-policies', {})).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect(await call('GET', '/v2/products/incentive-discount-policies', { query: { time: 'yesterday' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
  });

  it('refuses policies that make no sense, in the API error shape', async () => {
    const bad = [
      { ...terms, code: 'X1', rate: { type: 'tiered', tiers: [{ up_to: '100.00', rate: '0.02' }, { up_to: '50.00', rate: '0.03' }, { up_to: null, rate: '0.04' }] } },
      { ...terms, code: 'X2', rate: { type: 'tiered', tiers: [{ up_to: '100.00', rate: '0.02' }] } },
      { ...terms, code: 'X3', rate: { type: 'flat', rate: '1.5' } },
      { ...terms, code: 'X4', currency: 'JPY', cap: '10.5' },
      { ...terms, code: 'X5', effective_to: '2024-12' },
      { ...terms, code: 'X6', partner_kinds: ['astronaut'] },
      { ...terms, code: 'X7', currency: 'XYZ' },
      { ...terms },
    ];
    for (const body of bad) expect(await stack.operator('POST', '/operator/incentives/policies', { body })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect(await stack.operator('POST', '/operator/incentives/policies/00000000-0000-4000-8000-000000000000/retire', { body: { effective_to: '2026-01' } })).toMatchObject({ status: 404 });
    const partner = await stack.createPartner();
    expect([401, 403]).toContain((await stack.partner(partner)('POST', '/operator/incentives/policies', { body: { code: 'X8', ...terms } })).status);
  });
});

describe('accrual from billing’s events', () => {
  it('accrues each final bill’s consumption per customer, mode and service type, and a correction after close for its own cycle, once', async () => {
    const partner = await stack.createPartner();
    const consultant = await stack.associate(partner.partner_id);
    const agency = await stack.associate(partner.partner_id, { associationType: 2 });
    const march = { occurred_at: '2025-03-10T00:00:00.000Z', bill_cycle: '2025-03' };
    const original = usageRecord(consultant, { ...march, official_amount: '500.00' });
    await stack.ingest([original, usageRecord(consultant, { ...march, record_type: 'refund', official_amount: '20.00' }), usageRecord(agency, { ...march, official_amount: '70.00' })]);
    await stack.finalizeCycle('2025-03');
    const rows = await stack.accrued(partner.partner_id, 2);
    expect(rows.map((r) => [r.customer_id, r.association_type, r.period, r.amount_minor, r.source_kind])).toEqual(
      [
        [consultant, 1, '2025-03', '48000', 'summary'],
        [agency, 2, '2025-03', '7000', 'summary'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    await stack.ingest([usageRecord(consultant, { occurred_at: '2025-04-02T00:00:00.000Z', bill_cycle: '2025-04', record_type: 'correction', corrects_record_id: original.record_id, official_amount: '450.00' })]);
    await stack.finalizeCycle('2025-04');
    const withAdjustment = await stack.accrued(partner.partner_id, 3);
    expect(withAdjustment.filter((r) => r.source_kind === 'adjustment').map((r) => [r.customer_id, r.period, r.amount_minor])).toEqual([[consultant, '2025-03', '-5000']]);

    // The whole billing stream delivered again, once with the inbox intact and once as a replay
    // under a forgotten inbox: the natural key accrues nothing twice.
    const before = await stack.dataSource.query(`SELECT source_ref, amount_minor FROM accruals ORDER BY source_ref`);
    expect(await stack.republish(['settle.billing.consumption-summary.v1', 'settle.billing.consumption-adjusted.v1'])).toBe(2);
    await stack.dataSource.query(`DELETE FROM processed_events`);
    const replayed = await stack.republish(['settle.billing.consumption-summary.v1', 'settle.billing.consumption-adjusted.v1']);
    await waitFor(async () => (await stack.dataSource.query(`SELECT count(*)::int AS n FROM processed_events`))[0].n >= replayed, 'the replay to be consumed');
    expect(await stack.dataSource.query(`SELECT source_ref, amount_minor FROM accruals ORDER BY source_ref`)).toEqual(before);
  });
});

describe('special benefits (FH, NRE)', () => {
  it('are applied for by the partner, reviewed by an operator once, with an audit trail both see', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const fh = await call('POST', '/v2/incentives/special-benefits', { body: { benefit_type: 'FH', period: '2025-06', staff: [{ name: 'Li Wei', role: 'solution architect', certificate_id: 'HCIE-1234' }] } });
    expect(fh).toMatchObject({ status: 201, body: { benefit_type: 'FH', status: 'submitted', details: { period: '2025-06', staff: [{ name: 'Li Wei' }] }, audit_trail: [{ action: 'submitted' }] } });
    const nre = await call('POST', '/v2/incentives/special-benefits', { body: { benefit_type: 'NRE', project_name: 'Migration of ACME ERP', business_value: 'Moves 400 VMs', requested_amount: '50000.00' } });
    expect(nre).toMatchObject({ status: 201, body: { benefit_type: 'NRE', details: { requested_amount: '50000.00', currency: 'CNY' } } });

    const approved = await stack.operator('POST', `/operator/incentives/special-benefits/${fh.body.application_id}/approve`);
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', audit_trail: [{ action: 'submitted' }, { action: 'approved', by: 'operator:test-operator' }] } });
    expect(await stack.operator('POST', `/operator/incentives/special-benefits/${fh.body.application_id}/reject`, { body: { reason: 'late' } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
    expect(await stack.operator('POST', `/operator/incentives/special-benefits/${nre.body.application_id}/reject`, { body: {} })).toMatchObject({ status: 400 });
    const rejected = await stack.operator('POST', `/operator/incentives/special-benefits/${nre.body.application_id}/reject`, { body: { reason: 'no offline agreement yet' } });
    expect(rejected.body).toMatchObject({ status: 'rejected', reject_reason: 'no offline agreement yet' });

    const mine = await call('GET', `/v2/incentives/special-benefits/${nre.body.application_id}`);
    expect(mine.body.audit_trail.map((t: { action: string; reason: string | null }) => [t.action, t.reason])).toEqual([
      ['submitted', null],
      ['rejected', 'no offline agreement yet'],
    ]);
    expect((await call('GET', '/v2/incentives/special-benefits', { query: { status: 'approved' } })).body).toMatchObject({ total_count: 1, applications: [{ application_id: fh.body.application_id }] });
    const other = await stack.createPartner();
    expect(await stack.partner(other)('GET', `/v2/incentives/special-benefits/${fh.body.application_id}`)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    expect(await call('POST', '/v2/incentives/special-benefits', { body: { benefit_type: 'XX' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect(await call('POST', '/v2/incentives/special-benefits', { body: { benefit_type: 'FH', period: '2025-06', staff: [] } })).toMatchObject({ status: 400 });
  });
});
