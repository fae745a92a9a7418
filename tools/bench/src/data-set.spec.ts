import { UsageRecordV1, billCycleOf } from '@settle/contracts';
import { SERVICE_MIX, addMonths, customerIdOf, cycleBounds, hash32, partnerIndexOfCustomer, pastCycles, usageRecordOf } from './data-set';

const ctx = { runTag: 'run1', seed: 7, customers: 100, cycle: '2026-03', set: 'ingest1000' };

describe('the bench data set', () => {
  it('is the same for the same seed, index and set, and differs with any of them', () => {
    expect(usageRecordOf(42, ctx)).toEqual(usageRecordOf(42, ctx));
    expect(usageRecordOf(42, { ...ctx, seed: 8 })).not.toEqual(usageRecordOf(42, ctx));
    expect(usageRecordOf(42, { ...ctx, set: 'latency' }).record_id).toBe('run1-latency-42');
    expect(hash32(1, 2, 3)).toBe(hash32(1, 2, 3));
    expect(hash32(1, 2, 3)).not.toBe(hash32(1, 2, 4));
  });

  it('makes records the usage contract accepts, inside their cycle (UTC+08:00), for customers of the data set', () => {
    for (let i = 0; i < 2_000; i++) {
      const record = usageRecordOf(i, ctx);
      expect(UsageRecordV1.schema.safeParse(record).success).toBe(true);
      expect(billCycleOf(new Date(record.occurred_at))).toBe('2026-03');
      expect(Number(record.customer_id.slice('run1-cust-'.length))).toBeLessThan(100);
    }
  });

  it('spreads records over every customer and every service of the mix', () => {
    const customers = new Set<string>();
    const services = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const record = usageRecordOf(i, ctx);
      customers.add(record.customer_id);
      services.add(record.service_type_code);
    }
    expect(customers.size).toBe(100);
    expect(services).toEqual(new Set(SERVICE_MIX.map(([code]) => code)));
  });

  it('gives every partner customers, round robin', () => {
    expect([0, 1, 2, 3, 4].map((i) => partnerIndexOfCustomer(i, 3))).toEqual([0, 1, 2, 0, 1]);
    expect(customerIdOf('run1', 9)).toBe('run1-cust-9');
  });

  it('counts cycles in the billing time zone and picks past ones', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(cycleBounds('2026-04')).toEqual({ start: new Date('2026-03-31T16:00:00.000Z'), end: new Date('2026-04-30T16:00:00.000Z') });
    // 2026-12-31T17:00Z is already 2027-01 in UTC+08:00.
    expect(pastCycles(new Date('2026-12-31T17:00:00Z'), 3)).toEqual(['2026-10', '2026-11', '2026-12']);
  });
});
