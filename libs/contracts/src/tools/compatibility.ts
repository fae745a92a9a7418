import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventCatalog } from '../events/event-catalog';
import { eventJsonSchema } from './json-schemas';

/*
 * The compatibility rules of docs/contracts.md, as a check of a JSON Schema against the one
 * published before it (the baseline in libs/contracts/schemas/baseline/). A published event
 * version may only gain optional properties (and enum values); anything a consumer written
 * against the baseline could trip over is a breaking change and needs a new version (`vN+1`).
 */

type Schema = Record<string, unknown>;

/** Where the committed baseline lives: the event schemas as published, one file per event type. */
export const BASELINE_DIR = join(__dirname, '..', '..', 'schemas', 'baseline');

function typesOf(schema: Schema): string[] | undefined {
  const t = schema.type;
  if (t === undefined) return undefined;
  return (Array.isArray(t) ? (t as string[]) : [t as string]).slice().sort();
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The breaking changes from `baseline` to `current`, as readable lines (empty: compatible).
 * Refused: a removed property, a changed `type`, `const` or `format`, a property that became
 * required (an added required property included), a removed enum value, a removed union branch,
 * and the same inside nested objects, array items and union branches.
 */
export function breakingChanges(baseline: Schema, current: Schema, path = '(data)'): string[] {
  const out: string[] = [];
  const bt = typesOf(baseline);
  const ct = typesOf(current);
  if (bt && !same(bt, ct)) out.push(`${path}: type changed from ${bt.join('|')} to ${ct ? ct.join('|') : '(any)'}`);
  if ('const' in baseline && !same(baseline.const, current.const)) out.push(`${path}: const changed from ${JSON.stringify(baseline.const)} to ${JSON.stringify(current.const)}`);
  if (baseline.format !== undefined && baseline.format !== current.format) out.push(`${path}: format changed from ${String(baseline.format)} to ${String(current.format ?? '(none)')}`);

  if (Array.isArray(baseline.enum)) {
    const now = Array.isArray(current.enum) ? (current.enum as unknown[]) : undefined;
    if (!now) out.push(`${path}: enum ${JSON.stringify(baseline.enum)} became ${'const' in current ? `const ${JSON.stringify(current.const)}` : 'unrestricted'}`);
    else for (const v of baseline.enum as unknown[]) if (!now.some((n) => same(n, v))) out.push(`${path}: enum value ${JSON.stringify(v)} removed`);
  }

  const bProps = isObject(baseline.properties) ? baseline.properties : undefined;
  const cProps = isObject(current.properties) ? current.properties : {};
  if (bProps) {
    for (const [name, sub] of Object.entries(bProps)) {
      if (!(name in cProps)) out.push(`${path}.${name}: property removed`);
      else if (isObject(sub) && isObject(cProps[name])) out.push(...breakingChanges(sub, cProps[name] as Schema, `${path}.${name}`));
    }
  }
  const bRequired = new Set(Array.isArray(baseline.required) ? (baseline.required as string[]) : []);
  for (const name of Array.isArray(current.required) ? (current.required as string[]) : []) {
    if (bRequired.has(name)) continue;
    out.push(bProps && name in bProps ? `${path}.${name}: became required` : `${path}.${name}: added as a required property (new properties must be optional)`);
  }

  if (isObject(baseline.items)) {
    if (!isObject(current.items)) out.push(`${path}[]: item schema removed`);
    else out.push(...breakingChanges(baseline.items, current.items, `${path}[]`));
  }

  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const before = baseline[keyword];
    if (!Array.isArray(before)) continue;
    const after = Array.isArray(current[keyword]) ? (current[keyword] as Schema[]) : [current];
    before.forEach((branch: Schema, i: number) => {
      // A baseline branch survives if some current branch accepts it compatibly.
      if (!after.some((c) => breakingChanges(branch, c).length === 0)) out.push(`${path}.${keyword}[${i}]: union branch ${JSON.stringify(branch).slice(0, 120)} removed or changed`);
    });
  }
  return out;
}

export interface CatalogCompatibility {
  /** Breaking changes per event type (a removed event type included). */
  breaking: Record<string, string[]>;
  /** Event types without a baseline yet (new, allowed; accepted with --accept-additions). */
  added: string[];
  /** Event types whose schema changed compatibly since the baseline (accepted with --accept-additions). */
  changed: string[];
}

/** Compares every current event schema with its baseline (both keyed by event type). */
export function compareCatalog(baselines: Record<string, Schema>, currents: Record<string, Schema>): CatalogCompatibility {
  const result: CatalogCompatibility = { breaking: {}, added: [], changed: [] };
  for (const [type, base] of Object.entries(baselines)) {
    const now = currents[type];
    if (!now) {
      result.breaking[type] = [`event type ${type} removed from the catalog (publish vN+1 beside it and keep vN for the deprecation period)`];
      continue;
    }
    const changes = breakingChanges(base, now);
    if (changes.length) result.breaking[type] = changes;
    else if (!same(base, now)) result.changed.push(type);
  }
  for (const type of Object.keys(currents)) if (!(type in baselines)) result.added.push(type);
  return result;
}

/** The event schemas as the catalog generates them now, keyed by event type. */
export function currentEventSchemas(): Record<string, Schema> {
  return Object.fromEntries(EventCatalog.map((d) => [d.type, eventJsonSchema(d)]));
}

/** The committed baseline, keyed by event type. */
export function readBaseline(dir = BASELINE_DIR): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    out[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Schema;
  }
  return out;
}
