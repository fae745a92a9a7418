import { PartnerCredentials } from '@settle/testing';
import { BillingStack, startBillingStack } from '../testing/billing-stack';

/**
 * Catalog lookups of the partner API (issue 4, capability 4): cloud service types, units of
 * measure and their conversions, seeded by the migration; operators add service types.
 * Identical signed requests within a second are replays, so every call below differs.
 */
let stack: BillingStack;
let partner: PartnerCredentials & { partner_id: string };
let call: ReturnType<BillingStack['partner']>;

beforeAll(async () => {
  stack = await startBillingStack();
  partner = await stack.createPartner({ kind: 'distributor' });
  call = stack.partner(partner);
}, 180_000);
afterAll(() => stack?.close(), 60_000);

const badParameter = { status: 400, body: { error_code: 'CBC.0100', error_msg: expect.any(String) } };

describe('GET /v2/products/service-types', () => {
  it('pages through the seeded service types in code order, with the total', async () => {
    const first = await call('GET', '/v2/products/service-types');
    expect(first.status).toBe(200);
    expect(first.body.total_count).toBe(20);
    expect(first.body.service_types).toHaveLength(10);
    const second = await call('GET', '/v2/products/service-types', { query: { offset: 10, limit: 10 } });
    const third = await call('GET', '/v2/products/service-types', { query: { offset: 20, limit: 5 } });
    expect(third.body).toEqual({ total_count: 20, service_types: [] });
    const codes = [...first.body.service_types, ...second.body.service_types].map((t: { service_type_code: string }) => t.service_type_code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(20);
    expect(codes).toEqual(expect.arrayContaining(['hws.service.type.ec2', 'hws.service.type.ebs', 'hws.service.type.vpc', 'hws.service.type.obs', 'hws.service.type.rds', 'hws.service.type.workplace']));
  });

  it('filters by code (case-insensitive) and names in the requested language', async () => {
    const zh = await call('GET', '/v2/products/service-types', { query: { service_type_code: 'hws.service.type.obs' } });
    expect(zh.body).toEqual({ total_count: 1, service_types: [{ service_type_name: '对象存储服务', service_type_code: 'hws.service.type.obs', abbreviation: 'OBS' }] });
    const en = await call('GET', '/v2/products/service-types', { query: { service_type_code: 'HWS.SERVICE.TYPE.OBS' }, headers: { 'X-Language': 'en_US' } });
    expect(en.body).toEqual({ total_count: 1, service_types: [{ service_type_name: 'Object Storage Service', service_type_code: 'hws.service.type.obs', abbreviation: 'OBS' }] });
    const none = await call('GET', '/v2/products/service-types', { query: { service_type_code: 'hws.service.type.nothing' } });
    expect(none.body).toEqual({ total_count: 0, service_types: [] });
  });

  it('answers 400 CBC.0100 to bad paging, codes, unknown parameters and languages', async () => {
    for (const query of [{ limit: 0 }, { limit: 101 }, { offset: -1 }, { limit: 'ten' }, { service_type_code: 'hws$service' }, { page: 1 }]) {
      const res = await call('GET', '/v2/products/service-types', { query });
      expect({ query, ...res }).toMatchObject({ query, ...badParameter });
    }
    const lang = await call('GET', '/v2/products/service-types', { headers: { 'X-Language': 'fr_FR' } });
    expect(lang).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: 'X-Language: must be zh_CN or en_US, not "fr_FR".' } });
  });

  it('lets an operator add a service type that partners then see, once', async () => {
    const body = { service_type_code: 'hws.service.type.modelarts', service_type_name: 'AI开发平台', service_type_name_en: 'ModelArts', abbreviation: 'ModelArts' };
    const added = await stack.operator('POST', '/operator/billing/service-types', { body });
    expect(added).toMatchObject({ status: 201, body: { service_type_code: 'hws.service.type.modelarts', service_type_name: 'AI开发平台', service_type_name_en: 'ModelArts', created_by: 'operator:test-operator' } });
    const again = await stack.operator('POST', '/operator/billing/service-types', { body: { ...body, service_type_name: 'other' } });
    expect(again).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
    const bad = await stack.operator('POST', '/operator/billing/service-types', { body: { service_type_code: 'x y', service_type_name: '' } });
    expect(bad).toMatchObject(badParameter);

    const seen = await call('GET', '/v2/products/service-types', { query: { service_type_code: 'hws.service.type.modelarts' }, headers: { 'X-Language': 'en_us' } });
    expect(seen.body).toEqual({ total_count: 1, service_types: [{ service_type_name: 'ModelArts', service_type_code: 'hws.service.type.modelarts', abbreviation: 'ModelArts' }] });
    const all = await call('GET', '/v2/products/service-types', { query: { limit: 100 } });
    expect(all.body.total_count).toBe(21);

    // A partner cannot reach the operator API.
    const byPartner = await call('POST', '/operator/billing/service-types', { body: { ...body, service_type_code: 'hws.service.type.evil' } });
    expect([401, 403]).toContain(byPartner.status);
  });
});

describe('GET /v2/bases/measurements and /v2/bases/conversions', () => {
  it('lists units of measure with their measure type, by language and type', async () => {
    const all = await call('GET', '/v2/bases/measurements');
    expect(all.status).toBe(200);
    expect(all.body.measure_units).toEqual(
      expect.arrayContaining([
        { measure_id: 1, measure_name: '元', abbreviation: 'CNY', measure_type: 1 },
        { measure_id: 3, measure_name: '分', abbreviation: 'Fen', measure_type: 1 },
        { measure_id: 4, measure_name: '小时', abbreviation: 'h', measure_type: 2 },
        { measure_id: 10, measure_name: 'GB', abbreviation: 'GB', measure_type: 3 },
        { measure_id: 15, measure_name: '个', abbreviation: 'pcs', measure_type: 4 },
      ]),
    );
    const durations = await call('GET', '/v2/bases/measurements', { query: { measure_type: 2 }, headers: { 'X-Language': 'en_US' } });
    expect(durations.body.measure_units.map((u: { measure_name: string }) => u.measure_name)).toEqual(['Hour', 'Day', 'Month', 'Year', 'Minute', 'Second']);
    expect(await call('GET', '/v2/bases/measurements', { query: { measure_type: 'time' } })).toMatchObject(badParameter);
    expect(await call('GET', '/v2/bases/measurements', { query: { unit: 'GB' } })).toMatchObject(badParameter);
  });

  it('lists exact conversion ratios, filtered by measure type', async () => {
    const traffic = await call('GET', '/v2/bases/conversions', { query: { measure_type: 3 } });
    expect(traffic.body.conversions).toEqual([
      { measure_id: 10, ref_measure_id: 11, conversion_ratio: 1024, measure_type: 3 },
      { measure_id: 10, ref_measure_id: 13, conversion_ratio: 1073741824, measure_type: 3 },
      { measure_id: 11, ref_measure_id: 12, conversion_ratio: 1024, measure_type: 3 },
      { measure_id: 12, ref_measure_id: 13, conversion_ratio: 1024, measure_type: 3 },
      { measure_id: 14, ref_measure_id: 10, conversion_ratio: 1024, measure_type: 3 },
    ]);
    const all = await call('GET', '/v2/bases/conversions');
    expect(all.body.conversions).toHaveLength(15);
    expect(all.body.conversions).toContainEqual({ measure_id: 1, ref_measure_id: 3, conversion_ratio: 100, measure_type: 1 });
    expect(await call('GET', '/v2/bases/conversions', { query: { measure_type: 0 } })).toMatchObject(badParameter);
    expect(await call('GET', '/v2/bases/conversions', { query: { measure_type: 3, x: 1 } })).toMatchObject(badParameter);
  });

  it('converts a quantity exactly along the table, rounding only where told', async () => {
    const gb = await call('GET', '/v2/bases/conversions/convert', { query: { quantity: '1.5', measure_id: 10, ref_measure_id: 11 } });
    expect(gb.body).toEqual({ quantity: '1.5', measure_id: 10, ref_measure_id: 11, converted_quantity: '1536' });
    const days = await call('GET', '/v2/bases/conversions/convert', { query: { quantity: '2', measure_id: 5, ref_measure_id: 8 } });
    expect(days.body.converted_quantity).toBe('2880');
    const minute = await call('GET', '/v2/bases/conversions/convert', { query: { quantity: '1', measure_id: 8, ref_measure_id: 4 } });
    expect(minute).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringContaining('give a scale') } });
    const rounded = await call('GET', '/v2/bases/conversions/convert', { query: { quantity: '1', measure_id: 8, ref_measure_id: 4, scale: 6 } });
    expect(rounded.body.converted_quantity).toBe('0.016667');
    const across = await call('GET', '/v2/bases/conversions/convert', { query: { quantity: '1', measure_id: 10, ref_measure_id: 4 } });
    expect(across).toMatchObject({ status: 400, body: { error_msg: 'no conversion from measure 10 to measure 4' } });
    expect(await call('GET', '/v2/bases/conversions/convert', { query: { quantity: '-1', measure_id: 10, ref_measure_id: 11 } })).toMatchObject(badParameter);
    expect(await call('GET', '/v2/bases/conversions/convert', { query: { quantity: '1e3', measure_id: 10, ref_measure_id: 11 } })).toMatchObject(badParameter);
  });

  it('is readable by any member of a partner, a salesperson included', async () => {
    const member = await stack.operator('POST', `/operator/partners/${partner.partner_id}/members`, { body: { name: 'Sales Catalog', role: 'salesperson' } });
    const key = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys`, { body: { member_id: member.body.member_id } });
    const sales = stack.partner(key.body as PartnerCredentials);
    const res = await sales('GET', '/v2/bases/measurements', { query: { measure_type: 1 } });
    expect(res.body.measure_units.map((u: { measure_id: number }) => u.measure_id)).toEqual([1, 2, 3]);
    expect((await stack.anonymous('GET', '/v2/bases/measurements')).status).toBe(401);
  });
});
