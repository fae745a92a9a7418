import { breakingChanges, compareCatalog, currentEventSchemas, readBaseline } from './compatibility';

/** A small published v1 schema, in the shape z.toJSONSchema gives the catalog's events. */
const v1 = () => ({
  type: 'object',
  properties: {
    payout_id: { type: 'string', minLength: 1 },
    amount: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' },
    method: { type: 'string', enum: ['bank-transfer', 'recharge-account', 'voucher'] },
    notice_ids: { type: 'array', items: { type: 'string' } },
    association_type: { anyOf: [{ type: 'number', const: 1 }, { type: 'number', const: 2 }] },
    paid_at: { type: 'string', format: 'date-time' },
    bank: { type: 'object', properties: { reference: { type: 'string' } }, required: ['reference'], additionalProperties: false },
    note: { type: 'string' },
  },
  required: ['payout_id', 'amount', 'method', 'paid_at'],
  additionalProperties: false,
});

type Fixture = ReturnType<typeof v1> & Record<string, unknown>;
const props = (s: Fixture) => s.properties as Record<string, Record<string, unknown>>;

describe('breakingChanges (a published event version never changes incompatibly)', () => {
  it('finds nothing between a schema and itself, and allows an added optional property, an added enum value and new descriptions', () => {
    expect(breakingChanges(v1(), v1())).toEqual([]);
    const next: Fixture = v1();
    props(next).bank_name = { type: 'string' };
    props(next).method.enum = ['bank-transfer', 'recharge-account', 'voucher', 'wallet'];
    props(next).amount.description = 'decimal string';
    (props(next).bank.properties as Record<string, unknown>).branch = { type: 'string' };
    expect(breakingChanges(v1(), next)).toEqual([]);
  });

  it('refuses a removed property', () => {
    const next: Fixture = v1();
    delete props(next).note;
    expect(breakingChanges(v1(), next)).toEqual(['(data).note: property removed']);
  });

  it('refuses a changed type', () => {
    const next: Fixture = v1();
    props(next).amount = { type: 'number' };
    expect(breakingChanges(v1(), next)).toEqual(['(data).amount: type changed from string to number']);
  });

  it('refuses a property that became required, and a new property that is required', () => {
    const next: Fixture = v1();
    next.required = [...next.required, 'note'];
    expect(breakingChanges(v1(), next)).toEqual(['(data).note: became required']);
    const added: Fixture = v1();
    props(added).tax = { type: 'string' };
    added.required = [...added.required, 'tax'];
    expect(breakingChanges(v1(), added)).toEqual(['(data).tax: added as a required property (new properties must be optional)']);
  });

  it('refuses a removed enum value', () => {
    const next: Fixture = v1();
    props(next).method.enum = ['bank-transfer', 'voucher'];
    expect(breakingChanges(v1(), next)).toEqual(['(data).method: enum value "recharge-account" removed']);
  });

  it('refuses the same changes nested in objects, array items and union branches, and a changed format or const', () => {
    const next: Fixture = v1();
    (props(next).bank.properties as Record<string, unknown>).reference = { type: 'integer' };
    props(next).notice_ids = { type: 'array', items: { type: 'number' } };
    props(next).association_type = { anyOf: [{ type: 'number', const: 1 }] };
    props(next).paid_at = { type: 'string', format: 'date' };
    expect(breakingChanges(v1(), next)).toEqual([
      '(data).notice_ids[]: type changed from string to number',
      '(data).association_type.anyOf[1]: union branch {"type":"number","const":2} removed or changed',
      '(data).paid_at: format changed from date-time to date',
      '(data).bank.reference: type changed from string to integer',
    ]);
  });
});

describe('compareCatalog', () => {
  it('refuses an event type removed from the catalog, reports new types and compatible changes apart', () => {
    const grown: Fixture = v1();
    props(grown).bank_name = { type: 'string' };
    const result = compareCatalog({ 'a.v1': v1(), 'b.v1': v1(), 'c.v1': v1() }, { 'a.v1': v1(), 'b.v1': grown, 'd.v1': v1() });
    expect(result.breaking).toEqual({ 'c.v1': ['event type c.v1 removed from the catalog (publish vN+1 beside it and keep vN for the deprecation period)'] });
    expect(result.added).toEqual(['d.v1']);
    expect(result.changed).toEqual(['b.v1']);
  });

  it('the catalog as generated now is compatible with the committed baseline, which knows every event type (npm run contracts:schemas -- --accept-additions)', () => {
    const result = compareCatalog(readBaseline(), currentEventSchemas());
    expect(result.breaking).toEqual({});
    expect(result.added).toEqual([]);
    expect(result.changed).toEqual([]);
  });
});
