import { SettleEvent } from '@settle/contracts';
import { IHeaders, KafkaMessage } from 'kafkajs';

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode: attributes travel as `ce_*`
 * headers, the data as the JSON value, the partition key as the Kafka key.
 */
export const CE_SPEC_VERSION = '1.0';
export const CORRELATION_EXTENSION = 'correlationid';

export interface EncodedMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  timestamp?: string;
}

export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

export function encodeEvent(event: SettleEvent): EncodedMessage {
  const headers: Record<string, string> = {
    ce_specversion: CE_SPEC_VERSION,
    ce_id: event.id,
    ce_type: event.type,
    ce_source: event.source,
    ce_time: event.time,
    'content-type': 'application/json',
  };
  if (event.subject) headers.ce_subject = event.subject;
  if (event.correlationId) headers[`ce_${CORRELATION_EXTENSION}`] = event.correlationId;
  if (event.traceparent) headers.ce_traceparent = event.traceparent;
  return { key: event.partitionKey, value: Buffer.from(JSON.stringify(event.data)), headers };
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

/** Decodes a consumed message; anything that is not a well-formed CloudEvent is refused. */
export function decodeEvent(message: Pick<KafkaMessage, 'key' | 'value' | 'headers'>): SettleEvent<unknown> {
  const h = headersToStrings(message.headers);
  const required = ['ce_specversion', 'ce_id', 'ce_type', 'ce_source'] as const;
  const missing = required.filter((name) => !h[name]);
  if (missing.length) throw new MalformedEventError(`not a CloudEvent: missing header(s) ${missing.join(', ')}`);
  if (h.ce_specversion !== CE_SPEC_VERSION) throw new MalformedEventError(`unsupported CloudEvents specversion ${h.ce_specversion}`);
  const contentType = h['content-type'] ?? 'application/json';
  if (!contentType.startsWith('application/json')) throw new MalformedEventError(`unsupported content-type ${contentType}`);
  if (!message.value || message.value.length === 0) throw new MalformedEventError('event has no data');
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString('utf8'));
  } catch {
    throw new MalformedEventError('event data is not valid JSON');
  }
  if (h.ce_time && Number.isNaN(Date.parse(h.ce_time))) throw new MalformedEventError(`ce_time is not a timestamp: ${h.ce_time}`);
  return {
    id: h.ce_id,
    type: h.ce_type,
    source: h.ce_source,
    time: h.ce_time ?? new Date(0).toISOString(),
    subject: h.ce_subject,
    partitionKey: message.key ? message.key.toString('utf8') : '',
    correlationId: h[`ce_${CORRELATION_EXTENSION}`],
    traceparent: h.ce_traceparent,
    data,
  };
}
