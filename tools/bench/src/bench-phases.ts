import { Topics } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ApiRun, BillRun, BenchResults, IngestRun } from './bench-report';
import { BenchPlatform, PartnerKeys, inParallel } from './bench-platform';
import { LatencyRecorder, perSecond, shareOfRawLimit } from './bench-stats';
import { copyFromStdin, copyLine } from './copy-from-stdin';
import { RecordContext, SERVICE_MIX, customerIdOf, cycleBounds, eventIdOf, partnerIndexOfCustomer, usageRecordOf } from './data-set';
import { produceAll, produceAtRate, usageProducer } from './usage-traffic';

export interface DataSet {
  runTag: string;
  seed: number;
  partners: PartnerKeys[];
  customers: number;
  /** The cycles of the run, oldest first; every association starts before the first. */
  cycles: string[];
}

const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
export { log };

/** The exclusive upper end of the record ids that start with `prefix` (the database collates C.UTF-8: byte order). */
function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`];
}

/** Rated lines written for a record set: the fact every ingest phase waits on (index range on rated_lines' record key). */
export async function linesOf(platform: BenchPlatform, ctx: RecordContext): Promise<number> {
  const [from, to] = prefixRange(`${ctx.runTag}-${ctx.set}-`);
  const { rows } = await platform.db.query(`SELECT count(*)::int AS n FROM "${platform.billingSchema}".rated_lines WHERE record_id >= $1 AND record_id < $2`, [from, to]);
  return rows[0].n as number;
}

async function ratedRecordsOf(platform: BenchPlatform, ctx: RecordContext): Promise<number> {
  const [from, to] = prefixRange(`${ctx.runTag}-${ctx.set}-`);
  const { rows } = await platform.db.query(`SELECT count(*)::int AS n FROM "${platform.billingSchema}".usage_records WHERE record_id >= $1 AND record_id < $2 AND status = 'rated'`, [from, to]);
  return rows[0].n as number;
}

/** Polls until `count` lines of the set are stored, or the timeout; returns when the last was seen. */
async function untilStored(platform: BenchPlatform, ctx: RecordContext, count: number, timeoutMs: number): Promise<{ stored: number; at: number; timedOut: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let stored = 0;
  let lastProgress = Date.now();
  let lastLog = Date.now();
  for (;;) {
    const now = await linesOf(platform, ctx);
    if (now > stored) lastProgress = Date.now();
    stored = now;
    if (Date.now() - lastLog > 15_000) {
      log(`  ${stored} of ${count} stored`);
      lastLog = Date.now();
    }
    if (stored >= count) return { stored, at: Date.now(), timedOut: false };
    if (platform.deadLetters.count) throw new Error(`billing dead-lettered ${platform.deadLetters.count} bench record(s), the figures would be wrong; the first: ${platform.deadLetters.first}`);
    if (Date.now() > deadline) return { stored, at: Date.now(), timedOut: true };
    // Poll often near the end (the figure is the time of the last record), rarely while far from it.
    await new Promise((resolve) => setTimeout(resolve, count - stored < 5_000 ? 100 : 500));
    if (Date.now() - lastProgress > 2 * 60_000) return { stored, at: Date.now(), timedOut: true };
  }
}

export function recordSet(data: DataSet, set: string, cycle: string): RecordContext {
  return { runTag: data.runTag, seed: data.seed, customers: data.customers, cycle, set };
}

/**
 * The data set's partners (operator API), each recharged, and its customers registered and
 * associated through customer-service; the associations reach billing through Kafka and billing's
 * own consumers, and the setup waits until billing's ownership projection has every customer.
 */
export async function createDataSet(platform: BenchPlatform, o: { partners: number; customers: number; seed: number; concurrency: number; cycles: string[] }): Promise<{ data: DataSet; ms: number; ownershipMs: number }> {
  const started = Date.now();
  const effectiveFrom = new Date(cycleBounds(o.cycles[0]).start.getTime() - 24 * 3600_000).toISOString();
  const expect = (answer: { status: number; body: unknown }, status: number, what: string) => {
    if (answer.status !== status) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
    return answer.body as Record<string, string>;
  };
  log(`creating ${o.partners} partners (operator API) and recharging them`);
  const partners = await inParallel(Array.from({ length: o.partners }), o.concurrency, async (_, i) => {
    const created = expect(await platform.operator('POST', '/operator/partners', { name: `Bench Partner ${i}`, kind: 'reseller' }), 201, 'creating a partner');
    expect(await platform.operator('POST', '/operator/billing/accounts/recharge', { partner_id: created.partner_id, amount: '100000000.00', request_id: `bench-${i}` }), 200, 'recharging a partner');
    return { partner_id: created.partner_id, access_key: created.access_key, secret_key: created.secret_key };
  });
  await requireCatalogued(platform, partners[0]);
  log(`registering ${o.customers} customers and associating them (agency-sale, from ${effectiveFrom})`);
  const data: DataSet = { runTag: platform.runId, seed: o.seed, partners, customers: o.customers, cycles: o.cycles };
  let done = 0;
  await inParallel(Array.from({ length: o.customers }), o.concurrency, async (_, i) => {
    const customerId = customerIdOf(data.runTag, i);
    expect(await platform.operator('POST', '/operator/customers', { customer_id: customerId, domain_name: `b${data.runTag}_${i}` }), 201, 'registering a customer');
    const partner = partners[partnerIndexOfCustomer(i, partners.length)];
    expect(await platform.operator('POST', '/operator/associations', { partner_id: partner.partner_id, customer_id: customerId, association_type: 2, effective_from: effectiveFrom }), 201, 'associating a customer');
    done += 1;
    if (done % 5_000 === 0) log(`  ${done} customers associated`);
  });
  const associated = Date.now();
  await waitFor(
    async () => {
      const { rows } = await platform.db.query(`SELECT count(DISTINCT customer_id)::int AS n FROM "${platform.billingSchema}".customer_ownership WHERE customer_id LIKE $1`, [`${data.runTag}-cust-%`]);
      return rows[0].n >= o.customers;
    },
    `billing-service to project all ${o.customers} associations`,
    { timeoutMs: 30 * 60_000, intervalMs: 250 },
  );
  return { data, ms: Date.now() - started, ownershipMs: Date.now() - associated };
}

/** The data set's service types and units must be in billing's catalog, or every record would be dead-lettered: asked through the partner API. */
async function requireCatalogued(platform: BenchPlatform, keys: PartnerKeys): Promise<void> {
  for (const code of new Set(SERVICE_MIX.map(([c]) => c))) {
    const answer = await platform.partner(keys, 'GET', `/v2/products/service-types?service_type_code=${code}`);
    const found = (answer.body.service_types as { service_type_code: string }[] | undefined) ?? [];
    if (answer.status !== 200 || !found.some((t) => t.service_type_code === code)) throw new Error(`service type ${code} is not in billing's catalog (${answer.status})`);
  }
  const units = await platform.partner(keys, 'GET', '/v2/bases/measurements');
  const ids = new Set(((units.body.measure_units as { measure_id: number }[] | undefined) ?? []).map((u) => u.measure_id));
  const missing = SERVICE_MIX.map(([, , id]) => id).filter((id) => !ids.has(id));
  if (units.status !== 200 || missing.length) throw new Error(`units of measure ${missing.join(', ')} are not in billing's catalog (${units.status})`);
}

/** Produce N records of a fresh cycle as fast as possible with billing running; time until every one is rated and stored. */
export async function ingestRun(platform: BenchPlatform, data: DataSet, records: number, cycle: string, timeoutMs: number): Promise<IngestRun> {
  const ctx = recordSet(data, `ingest${records}`, cycle);
  const producer = await usageProducer(platform);
  try {
    log(`ingest: producing ${records} records of ${cycle} while billing-service consumes`);
    const started = Date.now();
    await produceAll(producer, platform, ctx, records);
    const produceMs = Date.now() - started;
    log(`  produced in ${produceMs} ms; waiting for all to be rated and stored`);
    const result = await untilStored(platform, ctx, records, timeoutMs);
    const ms = result.at - started;
    const rated = await ratedRecordsOf(platform, ctx);
    if (!result.timedOut && rated !== records) throw new Error(`${records} lines but ${rated} rated records: ingest is not consistent`);
    return { records, cycle, produceMs, ms, perSecond: perSecond(result.stored, ms), stored: rated, lines: result.stored, timedOut: result.timedOut };
  } finally {
    await producer.disconnect();
  }
}

/** A fixed offered rate; latency of each record from its produce time to its `rated_at` (billing's clock, the same machine). */
export async function latencyRun(platform: BenchPlatform, data: DataSet, rate: number, seconds: number, cycle: string, timeoutMs: number): Promise<NonNullable<BenchResults['latency']>> {
  const ctx = recordSet(data, 'latency', cycle);
  const producer = await usageProducer(platform);
  try {
    log(`latency: ${rate} records/s for ${seconds} s`);
    const { producedAt, ms } = await produceAtRate(producer, platform, ctx, rate, seconds);
    const result = await untilStored(platform, ctx, producedAt.length, timeoutMs);
    const recorder = new LatencyRecorder();
    const [from, to] = prefixRange(`${ctx.runTag}-${ctx.set}-`);
    const { rows } = await platform.db.query(
      `SELECT record_id, (extract(epoch FROM coalesce(rated_at, received_at)) * 1000)::float8 AS stored_ms FROM "${platform.billingSchema}".usage_records WHERE record_id >= $1 AND record_id < $2 AND status = 'rated'`,
      [from, to],
    );
    for (const row of rows as { record_id: string; stored_ms: number }[]) {
      const index = Number(row.record_id.slice(row.record_id.lastIndexOf('-') + 1));
      recorder.record(row.stored_ms - producedAt[index]);
    }
    return { offeredRate: rate, achievedRate: perSecond(producedAt.length, ms), records: producedAt.length, stored: rows.length, timedOut: result.timedOut, ...recorder.summary() };
  } finally {
    await producer.disconnect();
  }
}

/** A consumer that does nothing with what it reads (kafkajs eachBatch), over everything on the usage topic: the broker + client limit. */
export async function rawConsume(platform: BenchPlatform, timeoutMs: number): Promise<{ records: number; ms: number; perSecond: number }> {
  const topic = platform.topic(Topics.UsageRecords);
  const admin = platform.kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  log(`raw: a no-op consumer reading the ${total} messages on ${topic}`);
  const consumer = platform.kafka.consumer({ groupId: `${platform.topicPrefix}bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let first = 0;
  let last = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (!first) first = Date.now();
      count += batch.messages.length;
      last = Date.now();
      if (count >= total) resolveDone();
    },
  });
  const timer = setTimeout(resolveDone, timeoutMs);
  await done;
  clearTimeout(timer);
  await consumer.disconnect();
  // From the first batch to the last: the group join is not the consumer's throughput.
  return { records: count, ms: last - first, perSecond: perSecond(count, last - first) };
}

const COPY_COLUMNS = [
  'record_id', 'customer_id', 'service_type_code', 'resource_type_code', 'resource_id', 'region_code', 'usage', 'usage_measure_id', 'charge_mode', 'record_type',
  'official_amount_minor', 'currency', 'occurred_at', 'bill_cycle', 'corrects_record_id', 'status', 'partner_id', 'association_id', 'association_type', 'source',
  'source_event_id', 'received_at', 'rated_at',
];

/**
 * PostgreSQL's own limit: COPY of the same rows (the largest ingest set, as billing stores them)
 * into a scratch copy of usage_records with its indexes (LIKE … INCLUDING ALL), in one transaction.
 */
export async function rawCopy(platform: BenchPlatform, data: DataSet, records: number, cycle: string): Promise<{ rows: number; ms: number; perSecond: number; method: string }> {
  const ctx = recordSet(data, `ingest${records}`, cycle);
  const now = new Date().toISOString();
  const chunks: Buffer[] = [];
  let text = '';
  for (let i = 0; i < records; i++) {
    const r = usageRecordOf(i, ctx);
    const customerIndex = Number(r.customer_id.slice(r.customer_id.lastIndexOf('-') + 1));
    const partner = data.partners[partnerIndexOfCustomer(customerIndex, data.partners.length)];
    text += copyLine([
      `copy-${r.record_id}`, r.customer_id, r.service_type_code, r.resource_type_code, r.resource_id, r.region_code, r.usage, r.usage_measure_id, r.charge_mode, r.record_type,
      r.official_amount.replace('.', '').replace(/^0+(?=\d)/, ''), r.currency, r.occurred_at, r.bill_cycle, null, 'rated', partner.partner_id, null, 2, 'kafka',
      eventIdOf(r.record_id), now, now,
    ]);
    if (text.length > 256 * 1024) {
      chunks.push(Buffer.from(text));
      text = '';
    }
  }
  if (text) chunks.push(Buffer.from(text));
  const client = new Client({ connectionString: platform.infra.databaseUrl });
  await client.connect();
  try {
    const table = `"${platform.billingSchema}".bench_copy`;
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(`CREATE TABLE ${table} (LIKE "${platform.billingSchema}".usage_records INCLUDING ALL)`);
    log(`raw: COPY of ${records} usage rows into a scratch copy of usage_records`);
    const started = Date.now();
    await client.query('BEGIN');
    const rows = await copyFromStdin(client, `COPY ${table} (${COPY_COLUMNS.join(', ')}) FROM STDIN`, chunks);
    await client.query('COMMIT');
    const ms = Date.now() - started;
    await client.query(`DROP TABLE ${table}`);
    return { rows, ms, perSecond: perSecond(rows, ms), method: 'COPY FROM STDIN (pg driver), usage_records copy with its indexes' };
  } finally {
    await client.end();
  }
}

export function rawSummary(consume: { records: number; ms: number; perSecond: number }, copy: { rows: number; ms: number; perSecond: number; method: string }, ingest: IngestRun[]): NonNullable<BenchResults['raw']> {
  const largest = ingest[ingest.length - 1];
  const { limit, ratio } = shareOfRawLimit(largest?.perSecond ?? 0, consume.perSecond, copy.perSecond);
  return { consume, copy, limit, ingestRatio: ratio };
}

/** Billing stopped, a backlog produced, billing started: time to drain it, from the spawn and from ready. */
export async function catchUpRun(platform: BenchPlatform, data: DataSet, records: number, cycle: string, timeoutMs: number): Promise<NonNullable<BenchResults['catchUp']>> {
  const ctx = recordSet(data, 'catchup', cycle);
  log('catch-up: stopping billing-service');
  await platform.stopBilling();
  const producer = await usageProducer(platform);
  const producing = Date.now();
  try {
    log(`catch-up: producing a backlog of ${records} records`);
    await produceAll(producer, platform, ctx, records);
  } finally {
    await producer.disconnect();
  }
  const produceMs = Date.now() - producing;
  let spawned = 0;
  log('catch-up: starting billing-service');
  await platform.startBilling(() => (spawned = Date.now()));
  const ready = Date.now();
  const result = await untilStored(platform, ctx, records, timeoutMs);
  return {
    records,
    produceMs,
    msFromStart: result.at - spawned,
    msFromReady: result.at - ready,
    perSecond: perSecond(result.stored, result.at - spawned),
    timedOut: result.timedOut,
    stored: result.stored,
  };
}

/** A bill run of a cycle through the operator API, followed until it completes. */
export async function billRun(platform: BenchPlatform, records: number, cycle: string, timeoutMs: number): Promise<BillRun> {
  const { rows } = await platform.db.query(`SELECT count(*)::int AS n FROM "${platform.billingSchema}".rated_lines WHERE bill_cycle = $1`, [cycle]);
  log(`bills: generating every partner's bill of ${cycle} (${rows[0].n} lines)`);
  const started = Date.now();
  const run = await platform.operator('POST', '/operator/billing/bill-runs', { bill_cycle: cycle });
  if (run.status !== 202) throw new Error(`starting a bill run answered ${run.status}: ${JSON.stringify(run.body)}`);
  let progress = run.body;
  for (;;) {
    if (progress.status !== 'running') break;
    if (Date.now() - started > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
    progress = (await platform.operator('GET', `/operator/billing/bill-runs/${run.body.run_id}`)).body;
  }
  const ms = Date.now() - started;
  return { records, cycle, ms, lines: rows[0].n, perSecond: perSecond(rows[0].n, ms), partners: Number(progress.partners_total ?? 0), status: String(progress.status) };
}

/** Funding and reclaims by the partners' signed API, `concurrency` at a time; journal entries created per second, each checked balanced. */
export async function ledgerRun(platform: BenchPlatform, data: DataSet, calls: number, concurrency: number, seed: number): Promise<NonNullable<BenchResults['ledger']>> {
  const schema = `"${platform.billingSchema}"`;
  const count = async () => (await platform.db.query(`SELECT count(*)::int AS n FROM ${schema}.journal_entries WHERE entry_type IN ('customer-funding', 'customer-reclaim')`)).rows[0].n as number;
  const before = await count();
  log(`ledger: ${calls} funding and reclaim calls, ${concurrency} at a time`);
  let failed = 0;
  let firstFailure = '';
  const started = Date.now();
  // Pairs on one customer: fund 2.00 then reclaim 1.00, so a reclaim never finds the account short.
  await inParallel(Array.from({ length: Math.ceil(calls / 2) }), concurrency, async (_, i) => {
    const customer = (i * 7919 + seed) % data.customers;
    const keys = data.partners[partnerIndexOfCustomer(customer, data.partners.length)];
    const customerId = customerIdOf(data.runTag, customer);
    for (const [path, amount] of [['/v2/accounts/partner-accounts/adjust-amount', '2.00'], ['/v2/accounts/partner-accounts/reclaim', '1.00']] as const) {
      const answer = await platform.partner(keys, 'POST', path, { customer_id: customerId, amount, request_id: `bench-${i}-${path.endsWith('reclaim') ? 'r' : 'f'}` });
      if (answer.status !== 200) {
        failed += 1;
        firstFailure ||= `${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`;
      }
    }
  });
  const ms = Date.now() - started;
  if (firstFailure) log(`  first failed ledger call: ${firstFailure}`);
  const entries = (await count()) - before;
  const { rows } = await platform.db.query(
    `SELECT count(*)::int AS n FROM (SELECT p.entry_id FROM ${schema}.postings p JOIN ${schema}.journal_entries e ON e.id = p.entry_id
      WHERE e.entry_type IN ('customer-funding', 'customer-reclaim') GROUP BY p.entry_id, p.currency HAVING sum(p.amount_minor) <> 0) unbalanced`,
  );
  return { calls: Math.ceil(calls / 2) * 2, failed, entries, ms, perSecond: perSecond(entries, ms), unbalancedEntries: rows[0].n, concurrency };
}

/** autocannon against one signed partner GET, each request signed afresh in setupRequest, partners' keys in turn. */
export async function apiRun(platform: BenchPlatform, data: DataSet, o: { path: string; connections: number; seconds: number; rate?: number }): Promise<ApiRun> {
  log(`api: GET ${o.path}, ${o.connections} connections, ${o.seconds} s${o.rate ? ` at ${o.rate} req/s` : ''}`);
  let turn = 0;
  const recorder = new LatencyRecorder();
  const result = await new Promise<import('autocannon').AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: platform.gatewayUrl,
        connections: o.connections,
        duration: o.seconds,
        ...(o.rate ? { overallRate: o.rate } : {}),
        requests: [
          {
            method: 'GET',
            path: o.path,
            setupRequest: (request) => {
              const keys = data.partners[turn++ % data.partners.length];
              return { ...request, headers: platform.signedHeaders(keys, 'GET', o.path) };
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => recorder.record(responseTime));
  });
  const latency = recorder.summary();
  return {
    path: o.path,
    connections: o.connections,
    seconds: o.seconds,
    offeredRate: o.rate ?? null,
    requests: result.requests.total,
    perSecond: Math.round(result.requests.total / o.seconds),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
    p99Ms: latency.p99Ms,
  };
}
