import { stringify } from 'yaml';
import { EventDefinition } from '../events/define-event';
import { EventCatalog } from '../events/event-catalog';
import { ConsumerGroupSubscriptions } from '../kafka/consumer-group-subscriptions';
import { ConsumerGroupId, ConsumerGroups } from '../kafka/consumer-groups';
import { DEAD_LETTER_RETENTION_MS, TopicDefinition, TopicDefinitions, Topics, deadLetterTopicOf } from '../kafka/topics';
import { eventJsonSchema } from './json-schemas';

/*
 * The AsyncAPI 3.0 document of every Kafka topic, generated from the contracts (topics, event
 * catalog, consumer groups and their subscriptions): `npm run contracts:schemas` writes it to
 * docs/events/asyncapi.yaml and renders docs/events/README.md. Nothing in it is written by hand.
 */

type Json = Record<string, unknown>;

/**
 * The headers EventConsumer (libs/messaging, `DeadLetterHeaders`) adds to a dead-lettered message,
 * next to the original ones. libs/messaging depends on this library, not the other way round, so
 * the names are repeated here; contracts.spec.ts reads the messaging source and fails if they drift.
 */
export const DeadLetterHeaderDocs = {
  'x-dlt-reason': 'Why the message was dead-lettered: `malformed` (not a CloudEvent), `invalid-data` (data breaks its schema), `handler-failed` (failed after the retries), `rejected` (a business rule the event breaks).',
  'x-dlt-error': 'The error, at most 4000 characters.',
  'x-dlt-attempts': 'How many times the consumer tried the event (decimal string).',
  'x-dlt-consumer-group': 'The logical consumer group that gave up on the message.',
  'x-dlt-original-topic': 'The topic the message was read from.',
  'x-dlt-original-partition': 'Its partition (decimal string).',
  'x-dlt-original-offset': 'Its offset (decimal string).',
  'x-dlt-original-timestamp': 'Its Kafka timestamp (epoch milliseconds, decimal string).',
  'x-dlt-failed-at': 'When it was dead-lettered (ISO-8601).',
} as const;

export const DeadLetterReasons = ['malformed', 'invalid-data', 'handler-failed', 'rejected'] as const;

/** What the key of each topic is (as topics.ts documents it). */
export const TopicKeys: Readonly<Record<(typeof Topics)[keyof typeof Topics], string>> = {
  [Topics.CustomerEvents]: 'partner id',
  [Topics.BillingEvents]: 'partner id',
  [Topics.UsageRecords]: 'customer id',
  [Topics.IncentiveEvents]: 'partner id',
  [Topics.InvoiceEvents]: 'partner id',
  [Topics.MarketplaceEvents]: 'partner id',
  [Topics.OperationsAudit]: 'the target of the operator action',
};

export const DeliveryGuarantees = {
  delivery: 'at-least-once',
  dedupe: 'by the CloudEvents id (`ce_id` header, a UUID): a consumer records the ids it applied (Settle services: `processed_events`, in the same transaction as the effect) and ignores a redelivery',
  ordering: 'per Kafka key (one partition per key): the events of one partner (one customer on the usage topic) arrive in the order they were published; no order across keys or topics',
  publishing: 'transactional outbox: an event is published after the state change committed, possibly more than once (relay re-publish), never lost',
} as const;

const CE_HEADERS_DOC = {
  ce_specversion: 'CloudEvents spec version, always `1.0`.',
  ce_id: 'Unique id of the event (UUID): the idempotency key of every consumer.',
  ce_type: 'The event type, e.g. `settle.billing.bill.generated.v1` (name + version).',
  ce_source: 'The producing service, `/settle/<service>`.',
  ce_time: 'ISO-8601 time of the state change.',
  ce_subject: 'Optional: the entity the event is about.',
  ce_correlationid: 'Optional: follows a request into its events and jobs (CloudEvents extension `correlationid`).',
  ce_traceparent: 'Optional: W3C trace context of the work that produced it (CloudEvents distributed-tracing extension).',
  'content-type': 'Always `application/json`: the Kafka value is the event data as JSON.',
} as const;

/** The channel id of a topic: its key in `Topics` (e.g. `BillingEvents`). */
export function channelIdOf(topic: string): string {
  const entry = Object.entries(Topics).find(([, name]) => name === topic);
  if (!entry) throw new Error(`unknown topic ${topic}`);
  return entry[0];
}

function groupKeyOf(groupId: ConsumerGroupId): string {
  return Object.entries(ConsumerGroups).find(([, id]) => id === groupId)![0];
}

function messageIdOf(def: EventDefinition): string {
  return def.type;
}

function days(ms: number): string {
  return `${ms / (24 * 60 * 60 * 1000)} days`;
}

/** The schema part of the published JSON Schema (the document-level keywords go elsewhere). */
function payloadSchemaOf(def: EventDefinition): Json {
  const { $schema: _s, $id: _i, 'x-kafka-topic': _t, 'x-producer': _p, ...schema } = eventJsonSchema(def);
  return schema;
}

function cloudEventHeaders(def: EventDefinition): Json {
  return {
    type: 'object',
    required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'content-type'],
    properties: {
      ce_specversion: { type: 'string', const: '1.0', description: CE_HEADERS_DOC.ce_specversion },
      ce_id: { type: 'string', format: 'uuid', description: CE_HEADERS_DOC.ce_id },
      ce_type: { type: 'string', const: def.type, description: CE_HEADERS_DOC.ce_type },
      ce_source: { type: 'string', const: `/settle/${def.producer}`, description: CE_HEADERS_DOC.ce_source },
      ce_time: { type: 'string', format: 'date-time', description: CE_HEADERS_DOC.ce_time },
      ce_subject: { type: 'string', description: CE_HEADERS_DOC.ce_subject },
      ce_correlationid: { type: 'string', description: CE_HEADERS_DOC.ce_correlationid },
      ce_traceparent: { type: 'string', description: CE_HEADERS_DOC.ce_traceparent },
      'content-type': { type: 'string', const: 'application/json', description: CE_HEADERS_DOC['content-type'] },
    },
  };
}

function deadLetterHeaders(): Json {
  const properties: Json = {};
  for (const [name, description] of Object.entries(DeadLetterHeaderDocs)) {
    properties[name] = name === 'x-dlt-reason' ? { type: 'string', enum: [...DeadLetterReasons], description } : { type: 'string', description };
  }
  properties.ce_id = { type: 'string', description: 'The original CloudEvents headers (`ce_*`, `content-type`) are kept unchanged.' };
  return { type: 'object', required: Object.keys(DeadLetterHeaderDocs), properties };
}

export interface TopicSummary {
  topic: TopicDefinition;
  channelId: string;
  key: string;
  events: EventDefinition[];
  producers: string[];
  /** Consumer group id → the event types of this topic it handles. */
  consumers: { groupId: ConsumerGroupId; service: string; events: string[] }[];
}

/** Per topic: its events, producers and consumers, in catalog order. */
export function topicSummaries(): TopicSummary[] {
  return TopicDefinitions.map((topic) => {
    const events: EventDefinition[] = EventCatalog.filter((d) => d.topic === topic.name);
    const types = new Set(events.map((d) => d.type));
    const consumers = (Object.entries(ConsumerGroupSubscriptions) as [ConsumerGroupId, (typeof ConsumerGroupSubscriptions)[ConsumerGroupId]][])
      .map(([groupId, sub]) => ({ groupId, service: sub.service, events: sub.events.filter((t) => types.has(t)) as string[] }))
      .filter((c) => c.events.length > 0);
    return { topic, channelId: channelIdOf(topic.name), key: TopicKeys[topic.name], events, producers: [...new Set(events.map((d) => d.producer))], consumers };
  });
}

/** The AsyncAPI 3.0 document as a plain object. */
export function buildAsyncApi(): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const schemas: Json = {};

  for (const def of EventCatalog) {
    schemas[def.type] = payloadSchemaOf(def);
    messages[messageIdOf(def)] = {
      name: def.type,
      title: def.type,
      summary: def.description,
      contentType: 'application/json',
      headers: cloudEventHeaders(def),
      payload: { $ref: `#/components/schemas/${def.type}` },
      correlationId: { description: 'Correlation id of the request that caused the event.', location: '$message.header#/ce_correlationid' },
      bindings: { kafka: { key: { type: 'string', description: `The partition key: ${TopicKeys[def.topic]}.` }, bindingVersion: '0.5.0' } },
      'x-producer': def.producer,
      'x-event-name': def.name,
      'x-event-version': def.version,
    };
  }
  messages.DeadLetter = {
    name: 'dead-letter',
    title: 'Dead-lettered message',
    summary: 'A message a consumer group could not apply: the original key, value and headers, plus the x-dlt-* headers.',
    contentType: 'application/json',
    headers: deadLetterHeaders(),
    payload: { description: 'The original Kafka value, unchanged (may be anything when the reason is `malformed`).' },
  };

  for (const s of topicSummaries()) {
    const { topic, channelId, key, events } = s;
    const channelMessages: Json = {};
    for (const def of events) channelMessages[messageIdOf(def)] = { $ref: `#/components/messages/${messageIdOf(def)}` };
    channels[channelId] = {
      address: topic.name,
      title: topic.description,
      description:
        `${topic.description}. Key: ${key}. ${topic.partitions} partition(s), retention ${days(topic.retentionMs)}. ` +
        `Delivery ${DeliveryGuarantees.delivery}; deduplicate by \`ce_id\`; ordered per key. Dead letters: \`${deadLetterTopicOf(topic.name)}\`.`,
      messages: channelMessages,
      bindings: {
        kafka: { topic: topic.name, partitions: topic.partitions, topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': topic.retentionMs }, bindingVersion: '0.5.0' },
      },
      'x-key': key,
      'x-ordering': 'per key',
      'x-dead-letter-channel': `${channelId}DeadLetter`,
    };
    const dltId = `${channelId}DeadLetter`;
    channels[dltId] = {
      address: deadLetterTopicOf(topic.name),
      title: `Dead letters of ${topic.name}`,
      description: `Messages of \`${topic.name}\` a consumer group gave up on, with the reason in the x-dlt-* headers. Same key as the source topic; retention ${days(DEAD_LETTER_RETENTION_MS)}. An operator inspects and replays them (settle CLI).`,
      messages: { DeadLetter: { $ref: '#/components/messages/DeadLetter' } },
      bindings: {
        kafka: { topic: deadLetterTopicOf(topic.name), partitions: topic.partitions, topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': DEAD_LETTER_RETENTION_MS }, bindingVersion: '0.5.0' },
      },
      'x-dead-letter-of': channelId,
    };

    for (const producer of s.producers) {
      const own = events.filter((d) => d.producer === producer);
      operations[`${producer}.publish.${channelId}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${channelId}` },
        title: `${producer} publishes on ${topic.name}`,
        summary: `Through its transactional outbox: ${own.map((d) => d.type).join(', ')}.`,
        messages: own.map((d) => ({ $ref: `#/channels/${channelId}/messages/${messageIdOf(d)}` })),
        'x-delivery': DeliveryGuarantees.publishing,
      };
    }
    for (const c of s.consumers) {
      const groupKey = groupKeyOf(c.groupId);
      operations[`${groupKey}.${channelId}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channelId}` },
        title: `${c.service} consumer group ${c.groupId}`,
        summary: `Handles ${c.events.join(', ')}; other types on the topic are skipped.`,
        description: `At-least-once; deduplicated by \`ce_id\` in \`processed_events\` in the transaction of the effect; a message it cannot apply goes to \`${deadLetterTopicOf(topic.name)}\`.`,
        messages: c.events.map((t) => ({ $ref: `#/channels/${channelId}/messages/${t}` })),
        bindings: { kafka: { groupId: { type: 'string', enum: [c.groupId] }, bindingVersion: '0.5.0' } },
        'x-service': c.service,
      };
    }
    operations[`dead-letter.${channelId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${dltId}` },
      title: `Consumer groups dead-letter messages of ${topic.name}`,
      summary: 'Sent by any consumer group of the source topic (its id in x-dlt-consumer-group) before it commits the offset.',
      messages: [{ $ref: `#/channels/${dltId}/messages/DeadLetter` }],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Settle events',
      version: '1.0.0',
      description:
        'Every Kafka topic of the Settle platform, generated from libs/contracts (`npm run contracts:schemas`). ' +
        'Events are CloudEvents 1.0 in Kafka binary content mode: the attributes travel as `ce_*` headers, the data is the JSON value, the partition key is the Kafka key. ' +
        `Delivery is ${DeliveryGuarantees.delivery}: deduplicate ${DeliveryGuarantees.dedupe}. Ordering: ${DeliveryGuarantees.ordering}. ` +
        'Versioning: see docs/contracts.md (a published vN never changes incompatibly).',
      license: { name: 'Apache-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local single-node broker of `npm run up`. Test and side-by-side deployments prefix every topic and group (KAFKA_TOPIC_PREFIX).',
      },
    },
    channels,
    operations,
    components: { messages, schemas },
    'x-delivery': DeliveryGuarantees,
  };
}

/** The document as YAML (no anchors: every object written out). */
export function renderAsyncApiYaml(): string {
  return stringify(buildAsyncApi(), { aliasDuplicateObjects: false, lineWidth: 0 });
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** docs/events/README.md: the human-readable catalogue of the same document. */
export function renderEventCatalogue(): string {
  const out: string[] = [];
  out.push('# Settle event catalogue');
  out.push('');
  out.push('<!-- Generated by `npm run contracts:schemas` from libs/contracts; do not edit by hand. -->');
  out.push('');
  out.push('The machine-readable document is [asyncapi.yaml](asyncapi.yaml) (AsyncAPI 3.0). Payload schemas are the published JSON Schemas in');
  out.push('[libs/contracts/schemas/events/](../../libs/contracts/schemas/events/); versioning rules are in [docs/contracts.md](../contracts.md).');
  out.push('An example integrator is in [examples/settlement-consumer/](../../examples/settlement-consumer/).');
  out.push('');
  out.push('## Delivery');
  out.push('');
  out.push('- **Format**: CloudEvents 1.0, Kafka binary content mode: attributes in `ce_*` headers, data as the JSON value, the partition key as the Kafka key.');
  out.push(`- **Delivery**: ${DeliveryGuarantees.delivery}. Deduplicate ${DeliveryGuarantees.dedupe}.`);
  out.push(`- **Ordering**: ${DeliveryGuarantees.ordering}.`);
  out.push(`- **Publishing**: ${DeliveryGuarantees.publishing}.`);
  out.push('- **Money**: amounts are decimal strings at the currency\'s exponent (never floats), with an ISO 4217 `currency`.');
  out.push('');
  out.push('### Headers of every event');
  out.push('');
  out.push('| header | |');
  out.push('|---|---|');
  for (const [name, doc] of Object.entries(CE_HEADERS_DOC)) out.push(`| \`${name}\` | ${cell(doc)} |`);
  out.push('');
  out.push(`### Dead letters`);
  out.push('');
  out.push(`Each topic \`T\` has a dead-letter topic \`T.dlt\` (retention ${days(DEAD_LETTER_RETENTION_MS)}, same partitions and key). A message a consumer group cannot apply is written there with its original key, value and headers plus:`);
  out.push('');
  out.push('| header | |');
  out.push('|---|---|');
  for (const [name, doc] of Object.entries(DeadLetterHeaderDocs)) out.push(`| \`${name}\` | ${cell(doc)} |`);
  out.push('');
  out.push('## Topics');
  out.push('');
  out.push('| topic | key | partitions | retention | events | dead-letter topic |');
  out.push('|---|---|---|---|---|---|');
  for (const s of topicSummaries()) {
    out.push(`| [\`${s.topic.name}\`](#${s.topic.name.replace(/\./g, '')}) | ${s.key} | ${s.topic.partitions} | ${days(s.topic.retentionMs)} | ${s.events.length} | \`${deadLetterTopicOf(s.topic.name)}\` |`);
  }
  for (const s of topicSummaries()) {
    out.push('');
    out.push(`### ${s.topic.name}`);
    out.push('');
    out.push(`${s.topic.description}. AsyncAPI channel \`${s.channelId}\`; key: **${s.key}**; ${s.topic.partitions} partition(s); retention ${days(s.topic.retentionMs)}; dead letters in \`${deadLetterTopicOf(s.topic.name)}\` (channel \`${s.channelId}DeadLetter\`).`);
    out.push('');
    out.push('| event type | producer | consumed by | payload schema | |');
    out.push('|---|---|---|---|---|');
    for (const def of s.events) {
      const consumers = s.consumers.filter((c) => c.events.includes(def.type)).map((c) => `\`${c.groupId}\` (${c.service})`);
      out.push(`| \`${def.type}\` | ${def.producer} | ${consumers.length ? consumers.join('<br>') : '—'} | [${def.type}.json](../../libs/contracts/schemas/events/${def.type}.json) | ${cell(def.description)} |`);
    }
    if (s.consumers.length) {
      out.push('');
      out.push('Consumer groups: ' + s.consumers.map((c) => `\`${c.groupId}\``).join(', ') + '.');
    }
  }
  out.push('');
  out.push('## Consumer groups');
  out.push('');
  out.push('| group id | service | topics | event types |');
  out.push('|---|---|---|---|');
  for (const [groupId, sub] of Object.entries(ConsumerGroupSubscriptions)) {
    const topics = [...new Set(sub.events.map((t) => EventCatalog.find((d) => d.type === t)!.topic))];
    out.push(`| \`${groupId}\` | ${sub.service} | ${topics.map((t) => `\`${t}\``).join('<br>')} | ${sub.events.map((t) => `\`${t}\``).join('<br>')} |`);
  }
  out.push('');
  return out.join('\n');
}

/** Every generated file under docs/events/, keyed by name. */
export function renderEventDocs(): Record<string, string> {
  return { 'asyncapi.yaml': renderAsyncApiYaml(), 'README.md': renderEventCatalogue() };
}
