import { QueueName, Queues } from '@settle/contracts';
import { redisOptionsFromUrl } from '@settle/platform';
import { Job, Queue } from 'bullmq';
import { Command } from 'commander';
import { CliError } from '../api-client';
import { print } from '../output';
import { recordActions } from '../ops/audit';
import { InfraOptions, OpsContext, infraOptions, opsContext } from '../ops/context';
import { progress } from '../ops/progress';
import { confirm } from '../ops/prompt';
import { age, instant, table } from '../ops/table';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed', 'paused'] as const;
const LISTABLE = ['failed', 'active', 'delayed', 'waiting', 'prioritized', 'completed', 'stalled'] as const;
type Listable = (typeof LISTABLE)[number];

export interface JobView {
  id: string;
  name: string;
  state: string;
  attempts_made: number;
  attempts: number;
  created_at: string;
  age: string;
  failed_reason: string | null;
  finished_at: string | null;
  data: unknown;
}

const allQueues = () => Object.values(Queues) as QueueName[];

function knownQueue(name: string): QueueName {
  if (!allQueues().includes(name as QueueName)) throw new CliError(`${name} is not a queue of the platform (${allQueues().join(', ')}).`);
  return name as QueueName;
}

async function withQueue<T>(ctx: OpsContext, name: QueueName, fn: (queue: Queue) => Promise<T>): Promise<T> {
  const queue = new Queue(name, { connection: redisOptionsFromUrl(ctx.redisUrl, true), prefix: ctx.redisPrefix });
  try {
    return await fn(queue);
  } finally {
    await queue.close();
  }
}

const view = (job: Job, state: string): JobView => ({
  id: String(job.id),
  name: job.name,
  state,
  attempts_made: job.attemptsMade,
  attempts: job.opts.attempts ?? 1,
  created_at: new Date(job.timestamp).toISOString(),
  age: age(job.timestamp),
  failed_reason: job.failedReason ?? null,
  finished_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  data: job.data,
});

/** Active jobs whose worker lock is gone: the worker died mid-job; BullMQ's stalled check will move them back or fail them. */
async function stalledJobs(queue: Queue): Promise<Job[]> {
  const active = await queue.getJobs(['active'], 0, 999, true);
  const client = (await queue.client) as unknown as { exists(key: string): Promise<number> };
  const stalled: Job[] = [];
  for (const job of active) if (!(await client.exists(`${queue.toKey(String(job.id))}:lock`))) stalled.push(job);
  return stalled;
}

async function jobsIn(queue: Queue, state: Listable, limit: number): Promise<JobView[]> {
  if (state === 'stalled') return (await stalledJobs(queue)).slice(0, limit).map((j) => view(j, 'stalled'));
  return (await queue.getJobs([state], 0, limit - 1, false)).filter(Boolean).map((j) => view(j, state));
}

const limitOf = (value: string | undefined, max = 1000) => {
  const n = value === undefined ? 50 : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`--limit must be a whole number from 1 to ${max}.`);
  return n;
};

export function queuesCommand(): Command {
  const queues = new Command('queues').description('BullMQ queues of every service: counts, failed and stalled jobs, retry, pause, resume, drain, promote');

  infraOptions(queues.command('list').description('Jobs per state in every queue'))
    .option('--json', 'print JSON')
    .action(async (options: InfraOptions & { json?: boolean }) => {
      const ctx = await opsContext(options);
      const rows: Array<{ queue: string; paused: boolean; stalled: number; counts: Record<string, number> }> = [];
      for (const name of allQueues()) {
        rows.push(await withQueue(ctx, name, async (q) => ({ queue: name, paused: await q.isPaused(), stalled: (await stalledJobs(q)).length, counts: await q.getJobCounts(...STATES) })));
      }
      print(rows, options.json, () =>
        table(['QUEUE', 'PAUSED', ...STATES.map((s) => s.toUpperCase()), 'STALLED'], rows.map((r) => [r.queue, r.paused ? 'yes' : 'no', ...STATES.map((s) => r.counts[s] ?? 0), r.stalled])),
      );
    });

  infraOptions(queues.command('jobs <queue>').description('Jobs of one queue in a state (default failed), with reason, attempts and age'))
    .option('--state <state>', `one of ${LISTABLE.join(', ')}`, 'failed')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', 'print JSON (with job data)')
    .action(async (name: string, options: InfraOptions & { state: string; limit?: string; json?: boolean }) => {
      const queue = knownQueue(name);
      if (!LISTABLE.includes(options.state as Listable)) throw new CliError(`--state must be one of ${LISTABLE.join(', ')}.`);
      const ctx = await opsContext(options);
      const jobs = await withQueue(ctx, queue, (q) => jobsIn(q, options.state as Listable, limitOf(options.limit)));
      print(jobs, options.json, () => table(['ID', 'NAME', 'ATTEMPTS', 'AGE', 'REASON'], jobs.map((j) => [j.id, j.name, `${j.attempts_made}/${j.attempts}`, j.age, (j.failed_reason ?? '').slice(0, 160)])));
    });

  infraOptions(queues.command('retry <queue>').description('Retry failed jobs: one (--job), those failed since a time (--since) or all (--all)'))
    .option('--job <id...>', 'the job id(s)')
    .option('--since <iso>', 'jobs that failed at or after this time')
    .option('--all', 'every failed job of the queue')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (name: string, options: InfraOptions & { job?: string[]; since?: string; all?: boolean; yes?: boolean; json?: boolean }) => {
      const queue = knownQueue(name);
      const modes = [options.job?.length, options.since, options.all].filter(Boolean).length;
      if (modes !== 1) throw new CliError('Give exactly one of --job <id>, --since <iso> or --all.');
      const since = options.since ? instant(options.since, '--since').getTime() : undefined;
      const ctx = await opsContext(options);
      const result = await withQueue(ctx, queue, async (q) => {
        let jobs: Job[];
        const missing: string[] = [];
        if (options.job?.length) {
          jobs = [];
          for (const id of options.job) {
            const job = await q.getJob(id);
            if (!job) missing.push(`${id} (no such job)`);
            else if ((await job.getState()) !== 'failed') missing.push(`${id} (${await job.getState()}, not failed)`);
            else jobs.push(job);
          }
          if (missing.length) throw new CliError(`Cannot retry ${missing.join(', ')}.`);
        } else {
          jobs = (await q.getJobs(['failed'], 0, -1, true)).filter((j) => j && (since === undefined || (j.finishedOn ?? 0) >= since));
        }
        if (jobs.length === 0) return { queue, retried: [] as string[] };
        if (jobs.length > 1) await confirm(`Retry ${jobs.length} failed job(s) of ${queue}?`, options.yes);
        const bar = progress('retrying', jobs.length);
        const retried: string[] = [];
        try {
          for (const job of jobs) {
            // Every job is idempotent by its natural key, so a retry never applies anything twice.
            await job.retry('failed');
            retried.push(String(job.id));
            bar.tick();
          }
        } finally {
          bar.stop();
          await recordActions(ctx, [{ action: 'queue.retry', target: { queue, job_ids: retried }, details: { requested: jobs.length, since: options.since, all: Boolean(options.all) }, outcome: retried.length === jobs.length ? 'done' : 'partial' }]);
        }
        return { queue, retried };
      });
      print(result, options.json, () => [`retried ${result.retried.length} job(s) of ${queue}${result.retried.length ? `: ${result.retried.join(', ')}` : ''}`]);
    });

  const simple = (verb: 'pause' | 'resume', description: string) =>
    infraOptions(queues.command(`${verb} <queue>`).description(description))
      .option('--yes', 'do not ask for confirmation')
      .option('--json', 'print JSON')
      .action(async (name: string, options: InfraOptions & { yes?: boolean; json?: boolean }) => {
        const queue = knownQueue(name);
        if (verb === 'pause') await confirm(`Pause ${queue}? Workers of every instance stop taking its jobs until it is resumed.`, options.yes);
        const ctx = await opsContext(options);
        const paused = await withQueue(ctx, queue, async (q) => {
          await (verb === 'pause' ? q.pause() : q.resume());
          return q.isPaused();
        });
        await recordActions(ctx, [{ action: `queue.${verb}`, target: { queue }, outcome: 'done' }]);
        print({ queue, paused }, options.json, () => [`${queue} ${paused ? 'paused' : 'running'}`]);
      });
  simple('pause', 'Stop workers taking new jobs of the queue (jobs keep waiting)');
  simple('resume', 'Let workers take the queue’s jobs again');

  infraOptions(queues.command('drain <queue>').description('Remove the waiting jobs of a queue (and the delayed ones with --delayed); active, failed and completed jobs stay'))
    .option('--delayed', 'remove delayed jobs too')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (name: string, options: InfraOptions & { delayed?: boolean; yes?: boolean; json?: boolean }) => {
      const queue = knownQueue(name);
      const ctx = await opsContext(options);
      const result = await withQueue(ctx, queue, async (q) => {
        const before = await q.getJobCounts('waiting', 'delayed', 'prioritized', 'paused');
        const removing = (before.waiting ?? 0) + (before.prioritized ?? 0) + (before.paused ?? 0) + (options.delayed ? (before.delayed ?? 0) : 0);
        await confirm(`Remove ${removing} job(s) from ${queue}? They are not run.`, options.yes);
        await q.drain(Boolean(options.delayed));
        return { queue, removed: removing, delayed_too: Boolean(options.delayed) };
      });
      await recordActions(ctx, [{ action: 'queue.drain', target: { queue }, details: result, outcome: 'done' }]);
      print(result, options.json, () => [`removed ${result.removed} job(s) from ${queue}`]);
    });

  infraOptions(queues.command('promote <queue>').description('Run delayed jobs now: one (--job) or all (--all)'))
    .option('--job <id...>', 'the job id(s)')
    .option('--all', 'every delayed job of the queue')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (name: string, options: InfraOptions & { job?: string[]; all?: boolean; yes?: boolean; json?: boolean }) => {
      const queue = knownQueue(name);
      if (Boolean(options.job?.length) === Boolean(options.all)) throw new CliError('Give exactly one of --job <id> or --all.');
      const ctx = await opsContext(options);
      const promoted = await withQueue(ctx, queue, async (q) => {
        const jobs: Job[] = [];
        if (options.job?.length) {
          for (const id of options.job) {
            const job = await q.getJob(id);
            if (!job || (await job.getState()) !== 'delayed') throw new CliError(`Job ${id} of ${queue} is not delayed.`);
            jobs.push(job);
          }
        } else {
          jobs.push(...(await q.getJobs(['delayed'], 0, -1, true)).filter(Boolean));
          if (jobs.length > 1) await confirm(`Run ${jobs.length} delayed job(s) of ${queue} now?`, options.yes);
        }
        for (const job of jobs) await job.promote();
        return jobs.map((j) => String(j.id));
      });
      await recordActions(ctx, [{ action: 'queue.promote', target: { queue, job_ids: promoted }, outcome: 'done' }]);
      print({ queue, promoted }, options.json, () => [`promoted ${promoted.length} job(s) of ${queue}`]);
    });
  return queues;
}
