/** What `npm run bench` measures, in the order it runs. */
export const PHASES = ['ingest', 'latency', 'raw', 'catch-up', 'bills', 'ledger', 'api'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  quick: boolean;
  partners: number;
  customers: number;
  /** The largest data set (records of one cycle); the last of `sizes`. */
  records: number;
  /** Growth: ingest and bill generation are measured at each size (ascending), each in its own cycle. */
  sizes: number[];
  /** Records produced while billing-service is stopped. */
  backlog: number;
  /** Fixed offered rate (records/s) and duration of the latency phase. */
  latencyRate: number;
  latencySeconds: number;
  ledgerOps: number;
  ledgerConcurrency: number;
  apiConcurrency: number;
  apiSeconds: number;
  /** Fixed request rate of the second API run (p95 target there). */
  apiRate: number;
  /** Parallel operator calls while creating partners and customers. */
  setupConcurrency: number;
  seed: number;
  /** Keep the run's schemas and topics after it ends (to inspect them). */
  keep: boolean;
  outDir: string;
  /** No phase waits longer than this for its fact. */
  phaseTimeoutSeconds: number;
  phases: Phase[];
  logLevel: string;
}

export class BenchUsageError extends Error {}

export const USAGE = `npm run bench -- [options]
  --quick                  100,000 records (sizes 10,000 and 100,000), 50 partners, 2,000 customers, shorter phases
  --partners N             partners (default 200)
  --customers N            customers, spread over the partners (default 20,000)
  --records N              records of the largest cycle (default 1,000,000); sizes default to N/10 and N
  --sizes A,B,...          growth sizes (ascending); the last one is --records
  --backlog N              catch-up backlog (default: --records)
  --latency-rate N         offered records/s of the latency phase (default 2,000)
  --latency-seconds N      duration of the latency phase (default 30; quick 10)
  --ledger-ops N           funding and reclaim calls (default 10,000; quick 3,000)
  --ledger-concurrency N   parallel ledger calls (default 16)
  --api-concurrency N      autocannon connections (default 32)
  --api-seconds N          duration of each API run (default 15; quick 8)
  --api-rate N             fixed request rate of the second API run (default 200)
  --setup-concurrency N    parallel operator calls while creating the data set (default 16)
  --phases a,b,...         only these of ${PHASES.join(', ')} (default all)
  --phase-timeout N        seconds any phase may wait for its fact (default 900)
  --seed N                 data set seed (default 1)
  --log-level L            services' LOG_LEVEL (default warn)
  --out DIR                results directory (default bench/results)
  --keep                   keep the run's schemas and topics`;

const INTEGER_FLAGS = {
  '--partners': 'partners',
  '--customers': 'customers',
  '--records': 'records',
  '--backlog': 'backlog',
  '--latency-rate': 'latencyRate',
  '--latency-seconds': 'latencySeconds',
  '--ledger-ops': 'ledgerOps',
  '--ledger-concurrency': 'ledgerConcurrency',
  '--api-concurrency': 'apiConcurrency',
  '--api-seconds': 'apiSeconds',
  '--api-rate': 'apiRate',
  '--setup-concurrency': 'setupConcurrency',
  '--phase-timeout': 'phaseTimeoutSeconds',
  '--seed': 'seed',
} as const satisfies Record<string, keyof BenchOptions>;

type IntegerOption = (typeof INTEGER_FLAGS)[keyof typeof INTEGER_FLAGS];

/** A count as people write it: 1000000, 1_000_000 or 1,000,000. */
export function parseCount(flag: string, raw: string | undefined): number {
  if (raw === undefined || raw.startsWith('--')) throw new BenchUsageError(`${flag} needs a value`);
  const cleaned = raw.replace(/[_,]/g, '');
  if (!/^\d+$/.test(cleaned)) throw new BenchUsageError(`${flag} must be a whole number, got "${raw}"`);
  const value = Number(cleaned);
  if (!Number.isSafeInteger(value) || value < 1) throw new BenchUsageError(`${flag} must be at least 1, got "${raw}"`);
  return value;
}

/** Parses the command line (without node and the script); throws BenchUsageError naming the bad flag. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const given: Partial<Record<IntegerOption, number>> = {};
  let sizes: number[] | undefined;
  let phases: Phase[] | undefined;
  let keep = false;
  let outDir = 'bench/results';
  let logLevel = 'warn';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') continue;
    if (flag === '--keep') {
      keep = true;
      continue;
    }
    if (flag in INTEGER_FLAGS) {
      given[INTEGER_FLAGS[flag as keyof typeof INTEGER_FLAGS]] = parseCount(flag, argv[++i]);
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) {
      if (['--sizes', '--phases', '--out', '--log-level'].includes(flag)) throw new BenchUsageError(`${flag} needs a value`);
      throw new BenchUsageError(`unknown option ${flag}\n${USAGE}`);
    }
    if (flag === '--sizes') sizes = parseSizes(value);
    else if (flag === '--phases') phases = parsePhases(value);
    else if (flag === '--out') outDir = value;
    else if (flag === '--log-level') {
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(value)) throw new BenchUsageError(`--log-level must be a pino level, got "${value}"`);
      logLevel = value;
    } else throw new BenchUsageError(`unknown option ${flag}\n${USAGE}`);
  }

  const records = sizes ? sizes[sizes.length - 1] : (given.records ?? (quick ? 100_000 : 1_000_000));
  if (sizes && given.records !== undefined && given.records !== records) throw new BenchUsageError(`--records ${given.records} must be the last of --sizes (${records})`);
  sizes ??= quick && given.records === undefined ? [10_000, 100_000] : distinctAscending([Math.max(1, Math.round(records / 10)), records]);
  const options: BenchOptions = {
    quick,
    partners: given.partners ?? (quick ? 50 : 200),
    customers: given.customers ?? (quick ? 2_000 : 20_000),
    records,
    sizes,
    backlog: given.backlog ?? records,
    latencyRate: given.latencyRate ?? 2_000,
    latencySeconds: given.latencySeconds ?? (quick ? 10 : 30),
    ledgerOps: given.ledgerOps ?? (quick ? 3_000 : 10_000),
    ledgerConcurrency: given.ledgerConcurrency ?? 16,
    apiConcurrency: given.apiConcurrency ?? 32,
    apiSeconds: given.apiSeconds ?? (quick ? 8 : 15),
    apiRate: given.apiRate ?? 200,
    setupConcurrency: given.setupConcurrency ?? 16,
    seed: given.seed ?? 1,
    keep,
    outDir,
    phaseTimeoutSeconds: given.phaseTimeoutSeconds ?? 900,
    phases: phases ?? [...PHASES],
    logLevel,
  };
  if (options.customers < options.partners) throw new BenchUsageError(`--customers (${options.customers}) must be at least --partners (${options.partners}): every partner gets customers`);
  return options;
}

function distinctAscending(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** `10000,100000` (or with `_` separators); ascending, no repeats. */
export function parseSizes(raw: string): number[] {
  const sizes = raw.split(',').map((part) => parseCount('--sizes', part.trim()));
  for (let i = 1; i < sizes.length; i++) {
    if (sizes[i] <= sizes[i - 1]) throw new BenchUsageError(`--sizes must be ascending without repeats (write 10_000,100_000 rather than 10,000,100,000), got "${raw}"`);
  }
  return sizes;
}

export function parsePhases(raw: string): Phase[] {
  const phases = raw.split(',').map((p) => p.trim());
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length) throw new BenchUsageError(`--phases: unknown phase(s) ${unknown.join(', ')}; known: ${PHASES.join(', ')}`);
  return PHASES.filter((p) => phases.includes(p));
}
