import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MetricCatalog, MetricType, metricCatalog, metricNamesIn, registeredMetrics } from './metric-catalog';
import { backendApps, deployableApps, repoRoot } from './rendered';

/**
 * The alert rules and the Grafana dashboard in deploy/observability: each alert links a runbook
 * section that exists, and every metric they query is one the code registers (or, clearly listed,
 * one Prometheus and kube-state-metrics provide).
 */
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = parse(read('deploy/observability/prometheus-rules.yaml')) as {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { groups: { name: string; rules: Rule[] }[] };
};
const alerts = rules.spec.groups.flatMap((g) => g.rules);

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; refId: string }[];
  panels?: Panel[];
}
const dashboard = JSON.parse(read('deploy/observability/grafana-dashboard.json')) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const runbookAnchors = new Set([...read('docs/runbook.md').matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1]!)));

/** The signals issue 13 asks the alerts and the dashboard to cover, by the series they read. */
const SIGNALS = {
  'consumer lag': 'settle_consumer_lag',
  'outbox backlog age': 'settle_outbox_oldest_pending_age_seconds',
  'dead letters': 'settle_events_dead_lettered_total',
  'BullMQ failed jobs and queue depth': 'settle_queue_jobs',
  'job duration': 'settle_job_duration_seconds_bucket',
  'service down / not ready': 'kube_deployment_status_replicas_available',
  'gateway 5xx': 'settle_http_request_duration_seconds_count',
};

let catalog: MetricCatalog;
beforeAll(async () => {
  catalog = await metricCatalog();
});

/**
 * What a histogram's buckets make of an expression: an `le` matcher must name one of the code's
 * bucket bounds (or +Inf), and `histogram_quantile(…) > T` cannot fire when T is past the largest
 * finite bound (the quantile is capped there).
 */
function histogramProblems(expression: string, { registered }: MetricCatalog): string[] {
  const problems: string[] = [];
  for (const match of expression.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)_bucket(\{[^}]*\})?/g)) {
    const buckets = registered.get(match[1]!)?.buckets;
    if (!buckets) continue;
    for (const le of (match[2] ?? '').matchAll(/\ble\s*=\s*"([^"]+)"/g)) {
      if (le[1] !== '+Inf' && !buckets.includes(Number(le[1]))) problems.push(`${match[1]}: no bucket le="${le[1]}" (the code's: ${buckets.join(', ')})`);
    }
    const quantile = /histogram_quantile\([^]*\)\s*>=?\s*([0-9.e+]+)\s*$/.exec(expression.trim());
    if (quantile && expression.includes('histogram_quantile') && Number(quantile[1]) > buckets[buckets.length - 1]!) {
      problems.push(`${match[1]}: a quantile above ${quantile[1]} never fires, the largest bucket is ${buckets[buckets.length - 1]}`);
    }
  }
  return problems;
}

describe('metric names', () => {
  it('are read from the code: the registry, the outbox, the consumers', () => {
    const registered = registeredMetrics();
    for (const name of ['settle_http_request_duration_seconds', 'settle_outbox_backlog', 'settle_outbox_published_total', 'settle_events_consumed_total', 'settle_events_dead_lettered_total']) {
      expect({ name, registered: registered.has(name) }).toEqual({ name, registered: true });
    }
    expect(registered.get('settle_http_request_duration_seconds')?.type).toBe('histogram');
    expect(catalog.series.has('settle_http_request_duration_seconds_bucket')).toBe(true);
    expect(catalog.series.has('process_resident_memory_bytes')).toBe(true);
  });

  it('include what the autoscalers, the alerts and the dashboard need, registered with the type they query', () => {
    // Each has a fixed type: the lag and the queue depths are gauges (max/sum over replicas), the
    // job duration a histogram (histogram_quantile over _bucket).
    const needed: Record<string, MetricType> = {
      settle_consumer_lag: 'gauge',
      settle_outbox_oldest_pending_age_seconds: 'gauge',
      settle_queue_jobs: 'gauge',
      settle_job_duration_seconds: 'histogram',
    };
    for (const [name, type] of Object.entries(needed)) {
      expect({ name, type: catalog.registered.get(name)?.type }).toEqual({ name, type });
    }
    expect(catalog.series.has('settle_job_duration_seconds_bucket')).toBe(true);
    expect(catalog.series.has('settle_job_duration_seconds')).toBe(false);
  });

  it('are found in PromQL without functions, labels, ranges or grouping labels', () => {
    expect(metricNamesIn('histogram_quantile(0.95, sum by (queue, job, le) (rate(a_bucket{state="failed", x=~"b|c"}[15m]))) > 600 and on (queue) b offset 5m')).toEqual(['a_bucket', 'b']);
    expect(metricNamesIn('sum(rate(x_total[$__rate_interval])) / sum without (pod) (y) > 1e3')).toEqual(['x_total', 'y']);
  });
});

describe('deploy/observability/prometheus-rules.yaml', () => {
  it('is a PrometheusRule whose every alert has a severity, a summary and a runbook entry that exists', () => {
    expect({ apiVersion: rules.apiVersion, kind: rules.kind }).toEqual({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    expect(runbookAnchors.size).toBeGreaterThan(4);
    for (const rule of alerts) {
      expect({ alert: rule.alert, severity: ['critical', 'warning'].includes(rule.labels?.severity ?? ''), summary: !!rule.annotations?.summary }).toEqual({ alert: rule.alert, severity: true, summary: true });
      const anchor = /(?:^|\/)docs\/runbook\.md#([\w-]+)$/.exec(rule.annotations?.runbook_url ?? '')?.[1];
      expect({ alert: rule.alert, anchor: anchor ?? rule.annotations?.runbook_url, exists: anchor !== undefined && runbookAnchors.has(anchor) }).toEqual({ alert: rule.alert, anchor: anchor ?? 'docs/runbook.md#<section>', exists: true });
    }
    expect(new Set(alerts.map((r) => r.alert)).size).toBe(alerts.length);
  });

  it('queries only metrics the code registers (or Prometheus and kube-state-metrics provide)', () => {
    for (const rule of alerts) {
      const names = metricNamesIn(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      expect({ alert: rule.alert, unknown: names.filter((n) => !catalog.series.has(n)) }).toEqual({ alert: rule.alert, unknown: [] });
    }
  });

  it('reads histograms only at buckets the code defines, and never thresholds a quantile past the largest one', () => {
    for (const rule of alerts) {
      for (const problem of histogramProblems(rule.expr, catalog)) expect({ alert: rule.alert, problem }).toEqual({ alert: rule.alert, problem: undefined });
    }
    // The checker itself: a threshold past the largest bucket, an unknown bucket.
    expect(histogramProblems('histogram_quantile(0.95, sum by (le) (rate(settle_job_duration_seconds_bucket[5m]))) > 600', catalog)).toHaveLength(1);
    expect(histogramProblems('rate(settle_job_duration_seconds_bucket{le="600"}[5m])', catalog)).toHaveLength(1);
    expect(histogramProblems('rate(settle_job_duration_seconds_bucket{le="300"}[5m])', catalog)).toEqual([]);
  });

  it('covers every signal of the issue, and every app in the availability alerts', () => {
    const used = new Set(alerts.flatMap((r) => metricNamesIn(r.expr)));
    for (const [signal, series] of Object.entries(SIGNALS)) expect({ signal, covered: used.has(series) }).toEqual({ signal, covered: true });
    const down = alerts.find((r) => r.alert === 'SettleServiceDown')!;
    const listed = /deployment=~"([^"]+)"/.exec(down.expr)?.[1]?.split('|').sort();
    expect(listed).toEqual(deployableApps());
    const gateway5xx = alerts.find((r) => r.alert === 'SettleGateway5xx')!;
    expect(gateway5xx.expr).toContain('service="gateway", status=~"5.."');
  });
});

describe('deploy/observability/grafana-dashboard.json', () => {
  it('has panels over the same signals, each query on metrics the code registers', () => {
    expect(dashboard.uid).toBe('settle-overview');
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(queries.length).toBeGreaterThanOrEqual(15);
    for (const { panel, expr } of queries) {
      const names = metricNamesIn(expr);
      expect({ panel, names: names.length > 0, unknown: names.filter((n) => !catalog.series.has(n)) }).toEqual({ panel, names: true, unknown: [] });
    }
    for (const p of panels.filter((p) => p.type !== 'row')) expect({ panel: p.title, datasource: p.datasource?.uid }).toEqual({ panel: p.title, datasource: '${datasource}' });
    const used = new Set(queries.flatMap((q) => metricNamesIn(q.expr)));
    for (const [signal, series] of Object.entries(SIGNALS)) expect({ signal, covered: used.has(series) }).toEqual({ signal, covered: true });
    for (const { panel, expr } of queries) expect({ panel, problems: histogramProblems(expr, catalog) }).toEqual({ panel, problems: [] });
    // Panels over Deployments list every deployable app.
    const listings = queries.map((q) => /deployment=~\\?"([^"\\]+)\\?"/.exec(q.expr)?.[1]).filter((l): l is string => !!l);
    expect(listings.length).toBeGreaterThan(0);
    for (const listed of listings) expect(listed.split('|').sort()).toEqual(deployableApps());
  });

  it('fills its variables from metrics the code registers', () => {
    const variables = dashboard.templating.list.filter((v) => v.type === 'query');
    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
      const metric = /^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*),\s*\w+\)$/.exec(query)?.[1];
      expect({ variable: variable.name, metric, known: !!metric && catalog.series.has(metric) }).toEqual({ variable: variable.name, metric: expect.any(String), known: true });
    }
  });
});

describe('deploy/observability/prometheus-adapter-rules.yaml', () => {
  it('serves the lag metric the autoscalers scale by, from a metric the code registers', () => {
    const adapter = parse(read('deploy/observability/prometheus-adapter-rules.yaml')) as { rules: { external: { seriesQuery: string; name: { as: string }; metricsQuery: string }[] } };
    const [rule] = adapter.rules.external;
    expect(rule!.name.as).toBe('settle_consumer_lag');
    expect(metricNamesIn(rule!.seriesQuery).every((n) => catalog.series.has(n))).toBe(true);
    for (const app of backendApps()) {
      expect(read(`deploy/k8s/base/${app}.yaml`)).toContain(`name: ${rule!.name.as}`);
    }
  });
});
