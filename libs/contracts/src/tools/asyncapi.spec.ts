import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EventCatalog } from '../events/event-catalog';
import { ConsumerGroups } from '../kafka/consumer-groups';
import { TopicDefinitions, deadLetterTopicOf } from '../kafka/topics';
import { DeadLetterHeaderDocs, DeadLetterReasons, buildAsyncApi, renderEventDocs } from './asyncapi';

const repoRoot = join(__dirname, '..', '..', '..', '..');

describe('AsyncAPI document and event catalogue', () => {
  it('are committed exactly as generated (run npm run contracts:schemas)', () => {
    for (const [name, content] of Object.entries(renderEventDocs())) {
      expect(readFileSync(join(repoRoot, 'docs', 'events', name), 'utf8')).toBe(content);
    }
  });

  it('is a valid AsyncAPI document: @asyncapi/parser reports no error', async () => {
    // The parser loads (CommonJS build) under jest+swc; it takes a few seconds to build its rulesets.
    const diagnostics = await new Parser().validate(readFileSync(join(repoRoot, 'docs', 'events', 'asyncapi.yaml'), 'utf8'));
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('has a channel per topic and per dead-letter topic, a message per event type and the consumer groups as receive operations', () => {
    const doc = parse(readFileSync(join(repoRoot, 'docs', 'events', 'asyncapi.yaml'), 'utf8'));
    const addresses = Object.values(doc.channels as Record<string, { address: string }>).map((c) => c.address);
    expect(addresses.sort()).toEqual(TopicDefinitions.flatMap((t) => [t.name, deadLetterTopicOf(t.name)]).sort());
    expect(Object.keys(doc.components.messages).sort()).toEqual([...EventCatalog.map((d) => d.type), 'DeadLetter'].sort());
    const groups = Object.values(doc.operations as Record<string, { action: string; bindings?: { kafka: { groupId: { enum: string[] } } } }>)
      .filter((o) => o.action === 'receive')
      .map((o) => o.bindings!.kafka.groupId.enum[0]);
    expect([...new Set(groups)].sort()).toEqual(Object.values(ConsumerGroups).sort());
    expect(buildAsyncApi()).toEqual(doc);
  });

  it('names each dead-letter header and reason exactly as the event consumer writes them', () => {
    const source = readFileSync(join(repoRoot, 'libs', 'messaging', 'src', 'inbox', 'event-consumer.ts'), 'utf8');
    const headers = [...source.matchAll(/'(x-dlt-[a-z-]+)'/g)].map((m) => m[1]);
    expect(headers.sort()).toEqual(Object.keys(DeadLetterHeaderDocs).sort());
    const reasons = /export type DeadLetterReason = ([^;]+);/.exec(source)![1].split('|').map((r) => r.trim().replace(/'/g, ''));
    expect(reasons.sort()).toEqual([...DeadLetterReasons].sort());
  });
});
