import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as contracts from '../index';
import { EventCatalog } from '../events/event-catalog';
import { ConsumerGroupSubscriptions } from './consumer-group-subscriptions';
import { ConsumerGroups } from './consumer-groups';

const repoRoot = join(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('spec.ts') ? [path] : [];
  });
}

/**
 * What the services register, read from their source as text (a library never imports an app):
 * each `groupId: ConsumerGroups.X` with the `on(Event)`/`onBatch(Event)` handlers that follow it.
 */
function registeredSubscriptions(): Record<string, { service: string; events: string[] }> {
  const typeOfExport = new Map<string, string>();
  for (const [name, value] of Object.entries(contracts)) {
    if (value && typeof value === 'object' && 'type' in value && 'topic' in value && 'schema' in value) typeOfExport.set(name, (value as { type: string }).type);
  }
  const found: Record<string, { service: string; events: string[] }> = {};
  const appsDir = join(repoRoot, 'apps');
  for (const app of readdirSync(appsDir)) {
    const src = join(appsDir, app, 'src');
    if (!statSync(join(appsDir, app)).isDirectory()) continue;
    let files: string[] = [];
    try {
      files = sources(src);
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const blocks = text.split(/groupId: ConsumerGroups\./).slice(1);
      for (const block of blocks) {
        const key = /^(\w+)/.exec(block)![1];
        const body = block.split(/registerConsumer\(|groupId: /)[0];
        const events = [...body.matchAll(/(?<![.\w])on(?:Batch)?\((\w+V\d+)\b/g)].map((m) => typeOfExport.get(m[1]) ?? `unknown export ${m[1]}`);
        const groupId = (ConsumerGroups as Record<string, string>)[key] ?? `unknown group ${key}`;
        found[groupId] = { service: app, events: [...new Set([...(found[groupId]?.events ?? []), ...events])] };
      }
    }
  }
  return found;
}

describe('ConsumerGroupSubscriptions', () => {
  it('has an entry for every consumer group, each naming at least one catalog event type once', () => {
    const catalog = new Set<string>(EventCatalog.map((d) => d.type));
    expect(Object.keys(ConsumerGroupSubscriptions).sort()).toEqual(Object.values(ConsumerGroups).sort());
    for (const sub of Object.values(ConsumerGroupSubscriptions)) {
      expect(sub.events.length).toBeGreaterThan(0);
      for (const type of sub.events) expect(catalog.has(type)).toBe(true);
      expect(new Set(sub.events).size).toBe(sub.events.length);
    }
  });

  it('says what the services register: per group, its service and the event types of its handlers', () => {
    const registered = registeredSubscriptions();
    const declared = Object.fromEntries(Object.entries(ConsumerGroupSubscriptions).map(([g, s]) => [g, { service: s.service, events: [...s.events].sort() }]));
    for (const r of Object.values(registered)) r.events.sort();
    expect(registered).toEqual(declared);
  });
});
