import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Consumer, IHeaders, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger, LedgerRow } from './ledger';

/**
 * An integrator of Settle's settlement events with nothing but kafkajs and Ajv, written only
 * against the published contracts (docs/events/asyncapi.yaml and the JSON Schemas):
 * - events are CloudEvents 1.0 in Kafka binary mode: attributes in `ce_*` headers, data as JSON;
 * - every payload is validated against `libs/contracts/schemas/events/<ce_type>.json`;
 * - delivery is at least once, so it deduplicates by `ce_id` (in memory here: a real integrator
 *   stores the ids it applied in the same transaction as what it does with the event);
 * - it is a tolerant reader (docs/contracts.md): properties it does not know are dropped
 *   (Ajv `removeAdditional`), event types without a schema are counted and skipped.
 */

/** The settlement topics (docs/events/README.md). */
export const SETTLEMENT_TOPICS = ['settle.billing.events.v1', 'settle.incentive.events.v1', 'settle.invoice.events.v1', 'settle.marketplace.events.v1'];

export const DEFAULT_SCHEMAS_DIR = join(__dirname, '..', '..', '..', 'libs', 'contracts', 'schemas', 'events');

export interface SettlementConsumerOptions {
  brokers: string[];
  groupId: string;
  /** Prepended to every topic (Settle's test and side-by-side deployments use one). */
  topicPrefix?: string;
  schemasDir?: string;
}

export interface SeenEvent {
  ce_id: string;
  type: string;
  source: string;
  topic: string;
  partition: number;
  offset: string;
  key: string;
  partner_id?: string;
}

export interface ConsumerState {
  ready: boolean;
  /** Messages read, redeliveries included. */
  received: number;
  /** Distinct events that validated. */
  valid: number;
  /** Deliveries of an id already seen, ignored. */
  duplicates: number;
  duplicate_ids: string[];
  invalid: { ce_id: string; type: string; topic: string; errors: string[] }[];
  /** Messages that are not CloudEvents (missing ce_* headers or JSON data). */
  malformed: number;
  /** Event types without a published schema (newer than this copy of the contracts), skipped. */
  unknown_types: Record<string, number>;
  by_type: Record<string, number>;
  events: SeenEvent[];
  ledger: LedgerRow[];
}

function headers(raw: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** Compiles one validator per published event schema (the file name is the CloudEvents type). */
export function loadValidators(dir: string): Map<string, ValidateFunction> {
  // strict: false: the schemas carry `x-kafka-topic`/`x-producer` annotations Ajv does not know.
  const ajv = new Ajv2020({ strict: false, allErrors: true, removeAdditional: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    validators.set(file.replace(/\.json$/, ''), ajv.compile(schema));
  }
  return validators;
}

export class SettlementConsumer {
  private readonly kafka: Kafka;
  private consumer?: Consumer;
  private readonly validators: Map<string, ValidateFunction>;
  private readonly seen = new Set<string>();
  private readonly ledger = new Ledger();
  private readonly state: Omit<ConsumerState, 'ledger'> = {
    ready: false,
    received: 0,
    valid: 0,
    duplicates: 0,
    duplicate_ids: [],
    invalid: [],
    malformed: 0,
    unknown_types: {},
    by_type: {},
    events: [],
  };

  constructor(private readonly options: SettlementConsumerOptions) {
    this.kafka = new Kafka({ clientId: 'settlement-consumer-example', brokers: options.brokers, logLevel: logLevel.WARN });
    this.validators = loadValidators(options.schemasDir ?? DEFAULT_SCHEMAS_DIR);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.options.groupId });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.state.ready = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: SETTLEMENT_TOPICS.map((t) => `${this.options.topicPrefix ?? ''}${t}`), fromBeginning: true });
    // One message at a time per partition: events of one partner (the key) are applied in order.
    await consumer.run({ eachMessage: async ({ topic, partition, message }) => this.handle(topic, partition, message) });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  snapshot(): ConsumerState {
    return JSON.parse(JSON.stringify({ ...this.state, ledger: this.ledger.snapshot() })) as ConsumerState;
  }

  /** Applies one message; exported for a reader who wants to feed it messages by hand. */
  handle(topic: string, partition: number, message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>): void {
    this.state.received += 1;
    const h = headers(message.headers);
    const id = h.ce_id;
    const type = h.ce_type;
    let data: unknown;
    try {
      data = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      data = undefined;
    }
    if (h.ce_specversion !== '1.0' || !id || !type || !h.ce_source || typeof data !== 'object' || data === null) {
      this.state.malformed += 1;
      return;
    }
    if (this.seen.has(id)) {
      this.state.duplicates += 1;
      this.state.duplicate_ids.push(id);
      return;
    }
    const validate = this.validators.get(type);
    if (!validate) {
      this.state.unknown_types[type] = (this.state.unknown_types[type] ?? 0) + 1;
      return;
    }
    this.seen.add(id);
    if (!validate(data)) {
      this.state.invalid.push({ ce_id: id, type, topic, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '(data)'} ${e.message ?? ''}`.trim()) });
      return;
    }
    const record = data as Record<string, unknown>;
    this.state.valid += 1;
    this.state.by_type[type] = (this.state.by_type[type] ?? 0) + 1;
    this.state.events.push({
      ce_id: id,
      type,
      source: h.ce_source,
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? '',
      ...(typeof record.partner_id === 'string' ? { partner_id: record.partner_id } : {}),
    });
    this.ledger.apply(type, record);
  }
}
