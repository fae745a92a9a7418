import { UsageRecordV1 } from '@settle/contracts';
import { decodeEvent } from '@settle/messaging';
import { eventIdOf, usageRecordOf } from './data-set';
import { usageMessage } from './usage-traffic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('usage traffic', () => {
  const record = usageRecordOf(3, { runTag: 'run1', seed: 1, customers: 10, cycle: '2026-05', set: 'ingest10' });

  it('is a CloudEvent in Kafka binary mode that the platform decodes to a valid usage record, keyed by customer', () => {
    const message = usageMessage(record, new Date('2026-12-02T10:00:00.000Z'));
    const event = decodeEvent({ key: Buffer.from(message.key), value: message.value, headers: message.headers });
    expect(event).toMatchObject({ type: UsageRecordV1.type, partitionKey: record.customer_id, subject: record.customer_id, time: '2026-12-02T10:00:00.000Z' });
    expect(event.id).toMatch(UUID);
    expect(UsageRecordV1.schema.parse(event.data)).toEqual(record);
  });

  it('gives a record the same event id every time (a resend is a redelivery) and another record another id', () => {
    expect(eventIdOf(record.record_id)).toBe(eventIdOf(record.record_id));
    expect(eventIdOf('run1-ingest10-4')).not.toBe(eventIdOf(record.record_id));
    expect(eventIdOf(record.record_id)[14]).toBe('5');
  });
});
