import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventCatalog, eventDefinitionOf } from './events/event-catalog';
import { CustomerAssociatedV1 } from './events/customer/customer-associated.event';
import { JobCatalog } from './jobs/job-catalog';
import { Queues } from './jobs/queues';
import { ConsumerGroups } from './kafka/consumer-groups';
import { TopicDefinitions, Topics, deadLetterTopicOf } from './kafka/topics';
import { renderJsonSchemas } from './tools/json-schemas';

describe('contracts', () => {
  it('gives every event type exactly one definition', () => {
    const types = EventCatalog.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect(eventDefinitionOf('settle.customer.associated.v1')).toBe(CustomerAssociatedV1);
    expect(eventDefinitionOf('settle.customer.associated.v9')).toBeUndefined();
  });

  it('publishes every event on a provisioned topic', () => {
    const provisioned = new Set(TopicDefinitions.map((t) => t.name));
    for (const def of EventCatalog) expect(provisioned.has(def.topic)).toBe(true);
    expect(provisioned.size).toBe(Object.values(Topics).length);
  });

  it('keeps topic, queue and consumer group names unique', () => {
    for (const names of [Object.values(Topics), Object.values(Queues), Object.values(ConsumerGroups)]) {
      expect(new Set(names).size).toBe(names.length);
    }
    expect(deadLetterTopicOf(Topics.CustomerEvents)).toBe('settle.customer.events.v1.dlt');
  });

  it('validates event data strictly: a missing field or an unknown mode is refused', () => {
    const ok = {
      association_id: 'as-1',
      partner_id: 'p-1',
      customer_id: 'c-1',
      association_type: 2,
      effective_from: '2026-11-01T00:00:00.000Z',
    };
    expect(CustomerAssociatedV1.schema.safeParse(ok).success).toBe(true);
    expect(CustomerAssociatedV1.schema.safeParse({ ...ok, association_type: 3 }).success).toBe(false);
    expect(CustomerAssociatedV1.schema.safeParse({ ...ok, customer_id: undefined }).success).toBe(false);
    expect(CustomerAssociatedV1.schema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
  });

  it('has checked-in JSON Schemas identical to the ones generated from the catalogs (run npm run contracts:schemas)', () => {
    const files = renderJsonSchemas();
    expect(Object.keys(files).length).toBe(EventCatalog.length + JobCatalog.length);
    for (const [name, content] of Object.entries(files)) {
      const onDisk = readFileSync(join(__dirname, '..', 'schemas', name), 'utf8');
      expect(onDisk).toBe(content);
    }
  });
});
