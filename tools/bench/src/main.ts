/**
 * `npm run bench`: the platform's throughput and latency on this machine against the components'
 * own limits measured in the same run. See docs/benchmarks.md for what each figure means.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform as osPlatform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchOptions, BenchUsageError, USAGE, parseBenchArgs } from './bench-options';
import { BenchResults, resultFileName, verdictTable, verdictsOf } from './bench-report';
import { BenchPlatform } from './bench-platform';
import { DataSet, apiRun, billRun, catchUpRun, createDataSet, ingestRun, latencyRun, ledgerRun, log, rawConsume, rawCopy, rawSummary } from './bench-phases';
import { mebibytes } from './bench-stats';
import { pastCycles } from './data-set';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine(): BenchResults['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${osPlatform()} ${release()}`,
    gitCommit: git('rev-parse', 'HEAD'),
    gitDirty: git('status', '--porcelain', '--untracked-files=no') !== '',
  };
}

function infrastructure() {
  const { DATABASE_URL, REDIS_URL, KAFKA_BROKERS } = process.env;
  if (!DATABASE_URL || !REDIS_URL || !KAFKA_BROKERS) throw new BenchUsageError('DATABASE_URL, REDIS_URL and KAFKA_BROKERS must be set (npm run bench sets them to the local services)');
  for (const url of [DATABASE_URL, REDIS_URL]) {
    if (!['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) throw new BenchUsageError(`the bench runs against this machine only, not ${new URL(url).hostname}`);
  }
  return { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, kafkaBrokers: KAFKA_BROKERS.split(',').map((b) => b.trim()) };
}

async function run(options: BenchOptions, platform: BenchPlatform, results: BenchResults): Promise<void> {
  const timeoutMs = options.phaseTimeoutSeconds * 1000;
  const on = (phase: BenchOptions['phases'][number]) => options.phases.includes(phase);
  // Each measured record set has a cycle of its own (growth sizes, latency, catch-up), all in the past.
  const cycles = pastCycles(new Date(), options.sizes.length + 2);
  const [latencyCycle, catchUpCycle] = cycles.slice(options.sizes.length);

  log(`run ${platform.runId}: schemas ${platform.schemaPrefix}*, topics ${platform.topicPrefix}*, Redis ${platform.redisPrefix}*`);
  await platform.start();
  log(`services ready: gateway ${platform.gatewayUrl}`);
  const setup = await createDataSet(platform, { partners: options.partners, customers: options.customers, seed: options.seed, concurrency: options.setupConcurrency, cycles });
  const data: DataSet = setup.data;
  results.setup = { partners: options.partners, customers: options.customers, ms: setup.ms, ownershipMs: setup.ownershipMs };
  log(`data set ready in ${setup.ms} ms (billing had every association ${setup.ownershipMs} ms after the last call)`);

  const phase = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${name} failed: ${message}`);
      results.errors.push({ phase: name, message });
    }
  };

  if (on('ingest') || on('raw') || on('bills')) {
    results.ingest = [];
    for (const [i, size] of options.sizes.entries()) {
      await phase(`ingest ${size}`, async () => void results.ingest?.push(await ingestRun(platform, data, size, cycles[i], timeoutMs)));
    }
  }
  if (on('bills')) {
    results.bills = [];
    for (const [i, size] of options.sizes.entries()) await phase(`bills ${size}`, async () => void results.bills?.push(await billRun(platform, size, cycles[i], timeoutMs)));
  }
  if (on('latency')) await phase('latency', async () => void (results.latency = await latencyRun(platform, data, options.latencyRate, options.latencySeconds, latencyCycle, timeoutMs)));
  if (on('raw')) {
    await phase('raw', async () => {
      const consume = await rawConsume(platform, timeoutMs);
      const largest = options.sizes.length - 1;
      const copy = await rawCopy(platform, data, options.sizes[largest], cycles[largest]);
      results.raw = rawSummary(consume, copy, results.ingest ?? []);
    });
  }
  if (on('catch-up')) await phase('catch-up', async () => void (results.catchUp = await catchUpRun(platform, data, options.backlog, catchUpCycle, timeoutMs)));
  if (on('ledger')) await phase('ledger', async () => void (results.ledger = await ledgerRun(platform, data, options.ledgerOps, options.ledgerConcurrency, options.seed)));
  if (on('api')) {
    await phase('api', async () => {
      const path = '/v2/accounts/partner-accounts/balances';
      const concurrency = await apiRun(platform, data, { path, connections: options.apiConcurrency, seconds: options.apiSeconds });
      const fixedRate = await apiRun(platform, data, { path, connections: Math.min(options.apiConcurrency, 16), seconds: options.apiSeconds, rate: options.apiRate });
      results.api = { concurrency, fixedRate };
    });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof BenchUsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  const date = new Date();
  const results: BenchResults = { date: date.toISOString(), machine: machine(), options: { ...options }, errors: [] };
  const platform = new BenchPlatform(infrastructure(), options.logLevel);

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= platform.close(options.keep));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the services and removing the run's data`);
      void close().finally(() => process.exit(130));
    });
  }

  const started = Date.now();
  try {
    await run(options, platform, results);
  } catch (error) {
    results.errors.push({ phase: 'setup', message: error instanceof Error ? error.message : String(error) });
    log(`the run stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    results.memory = Object.fromEntries(Object.entries(platform.peakMemoryBytes()).map(([service, bytes]) => [service, mebibytes(bytes)]));
    log('stopping the services');
    await close();
  }
  results.verdicts = verdictsOf(results);

  const dir = resolve(REPO_ROOT, options.outDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, resultFileName(date));
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  const m = results.machine;
  console.log(`\nSettle bench ${results.date}: ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB, Node ${m.node}, commit ${m.gitCommit.slice(0, 12)}${m.gitDirty ? ' (uncommitted changes)' : ''}`);
  console.log(`${options.partners} partners, ${options.customers} customers, sizes ${options.sizes.join(' / ')}, backlog ${options.backlog}; ${Math.round((Date.now() - started) / 1000)} s in all\n`);
  console.log(verdictTable(results.verdicts));
  for (const e of results.errors) console.log(`\nerror in ${e.phase}: ${e.message}`);
  console.log(`\nresults: ${file}`);
  if (results.errors.length) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
