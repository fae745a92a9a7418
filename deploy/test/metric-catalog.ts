import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { repoRoot } from './rendered';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/**
 * Series that exist without Settle registering them: Prometheus's own `up` and kube-state-metrics'
 * Deployment status (the "a service is down" alerts must not depend on the service answering).
 */
export const EXTERNAL_METRICS: Record<string, string> = {
  up: 'Prometheus, per scrape target',
  kube_deployment_status_replicas_available: 'kube-state-metrics',
  kube_deployment_spec_replicas: 'kube-state-metrics',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.int-spec.ts') ? [path] : [];
  });
}

const registration = [
  // metrics.counter('name', …), metrics.gauge(…), metrics.histogram(…) (libs/platform MetricsRegistry)
  /\.(counter|gauge|histogram|summary)(?:<[^>]*>)?\(\s*['"`]([a-zA-Z_:][a-zA-Z0-9_:]*)['"`]/g,
  // new Gauge({ name: 'name', … }) and the other prom-client constructors
  /new\s+(Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\(\s*\{[^]*?\bname:\s*['"`]([a-zA-Z_:][a-zA-Z0-9_:]*)['"`]/g,
];

/** prom-client's default histogram buckets, for a histogram registered without its own. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** metrics.histogram('name', 'help', [labels], [buckets]): the buckets, when given as a literal. */
const histogramBuckets = /\.histogram(?:<[^>]*>)?\(\s*['"`]([a-zA-Z_:][a-zA-Z0-9_:]*)['"`]\s*,\s*(?:'[^']*'|"[^"]*"|`[^`]*`)\s*,\s*\[[^\]]*\]\s*,\s*\[([^\]]*)\]/g;

export interface RegisteredMetric {
  type: MetricType;
  file: string;
  /** A histogram's finite bucket bounds (le), ascending. */
  buckets?: number[];
}

/** Every metric the code of apps/ and libs/ registers, by name, with where it is registered. */
export function registeredMetrics(): Map<string, RegisteredMetric> {
  const found = new Map<string, RegisteredMetric>();
  for (const file of [...sourceFiles(join(repoRoot, 'apps')), ...sourceFiles(join(repoRoot, 'libs'))]) {
    const text = readFileSync(file, 'utf8');
    const buckets = new Map([...text.matchAll(histogramBuckets)].map((m) => [m[1]!, m[2]!.split(',').map((b) => Number(b.trim().replace(/_/g, ''))).filter((b) => Number.isFinite(b))]));
    for (const pattern of registration) {
      for (const match of text.matchAll(pattern)) {
        const type = match[1]!.toLowerCase() as MetricType;
        const entry: RegisteredMetric = { type, file: relative(repoRoot, file) };
        if (type === 'histogram') entry.buckets = [...(buckets.get(match[2]!) ?? DEFAULT_BUCKETS)].sort((a, b) => a - b);
        found.set(match[2]!, entry);
      }
    }
  }
  return found;
}

/** Node's default metrics, which every service's registry collects (collectDefaultMetrics). */
async function defaultMetrics(): Promise<Map<string, MetricType>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  registry.clear();
  return new Map(metrics.map((m) => [m.name, String(m.type) as MetricType]));
}

/** The series names a metric of a type exposes (a histogram: _bucket, _sum, _count). */
function seriesOf(name: string, type: MetricType): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

export interface MetricCatalog {
  /** Series name → where it comes from. */
  series: Map<string, string>;
  registered: Map<string, RegisteredMetric>;
}

export async function metricCatalog(): Promise<MetricCatalog> {
  const registered = registeredMetrics();
  const series = new Map<string, string>();
  for (const [name, type] of await defaultMetrics()) for (const s of seriesOf(name, type)) series.set(s, 'prom-client default metrics');
  for (const [name, { type, file }] of registered) for (const s of seriesOf(name, type)) series.set(s, file);
  for (const [name, source] of Object.entries(EXTERNAL_METRICS)) series.set(name, source);
  return { series, registered };
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2']);

/**
 * The metric names a PromQL expression selects. Strings, label matchers `{…}`, ranges `[…]` and
 * the label lists of by/without/on/ignoring/group_* are removed first; what is left that is not
 * followed by `(` (a function or an aggregation) and is not a keyword is a metric name.
 */
export function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, word, call] = match;
    if (call || PROMQL_WORDS.has(word!.toLowerCase())) continue;
    names.add(word!);
  }
  return [...names];
}
