import { defineJob } from '@settle/contracts';
import { testInfrastructure, testNamespace, waitFor } from '@settle/testing';
import { Job, QueueEvents, Worker } from 'bullmq';
import { z } from 'zod';
import { runWithContext } from '../context/request-context';
import { createLogger } from '../logging/logger';
import { redisOptionsFromUrl } from '../redis/redis';
import { InvalidJobPayloadError, JobQueue, createJobWorker } from './jobs';

const Echo = defineJob({
  queue: 'billing.bill-generation',
  name: 'echo',
  version: 1,
  description: 'test job',
  schema: z.object({ partner_id: z.string().min(1), cycle: z.string().regex(/^\d{4}-\d{2}$/) }),
});

const logger = createLogger('jobs-test', 'silent');
let queue: JobQueue<typeof Echo>;
let worker: Worker | undefined;
let redisUrl: string;
const ns = testNamespace();

beforeAll(async () => {
  redisUrl = (await testInfrastructure()).redisUrl;
  queue = new JobQueue(Echo, { redisUrl, prefix: ns.redisPrefix });
});

afterAll(async () => {
  await worker?.close();
  await queue.queue.obliterate({ force: true });
  await queue.close();
});

describe('typed BullMQ jobs on real Redis', () => {
  it('refuses to enqueue a payload that breaks its definition, naming the field', async () => {
    await expect(queue.enqueue({ partner_id: 'p1', cycle: '2026-13-01' }, { jobId: 'bad' })).rejects.toThrow(InvalidJobPayloadError);
    await expect(queue.enqueue({ partner_id: '', cycle: '2026-10' }, { jobId: 'bad' })).rejects.toThrow(/partner_id/);
    await expect(queue.enqueue({ partner_id: 'p1', cycle: '2026-10' }, { jobId: 'p1:2026-10' })).rejects.toThrow(/must not contain ':'/);
    expect(await queue.queue.count()).toBe(0);
  });

  it('runs a job with its typed data and the correlation id of the request that enqueued it', async () => {
    const seen: { data: unknown; correlation?: string }[] = [];
    const { currentCorrelationId } = await import('../context/request-context');
    worker = createJobWorker([Echo], { echo: async (data) => void seen.push({ data, correlation: currentCorrelationId() }) }, { redisUrl, prefix: ns.redisPrefix }, logger);
    await runWithContext({ correlationId: 'corr-42' }, () => queue.enqueue({ partner_id: 'p1', cycle: '2026-10' }, { jobId: 'p1-2026-10' }));
    await waitFor(() => seen.length === 1 || undefined, 'the job to run');
    expect(seen[0]).toEqual({ data: { partner_id: 'p1', cycle: '2026-10' }, correlation: 'corr-42' });
  });

  it('keeps one job per id: enqueueing the same id twice does not run it twice', async () => {
    const first = await queue.enqueue({ partner_id: 'p2', cycle: '2026-10' }, { jobId: 'p2-2026-10' });
    const second = await queue.enqueue({ partner_id: 'p2', cycle: '2026-10' }, { jobId: 'p2-2026-10' });
    expect(second.id).toBe(first.id);
    expect(await queue.queue.getJobCountByTypes('waiting', 'active', 'completed', 'delayed')).toBeLessThanOrEqual(2);
  });

  it('fails a job whose stored payload is corrupt at once, without retries, and keeps it for an operator', async () => {
    await worker?.close();
    worker = createJobWorker([Echo], { echo: async () => undefined }, { redisUrl, prefix: ns.redisPrefix }, logger);
    const events = new QueueEvents(Echo.queue, { connection: redisOptionsFromUrl(redisUrl, true), prefix: ns.redisPrefix });
    await events.waitUntilReady();
    try {
      const job = await queue.queue.add('echo', { data: { partner_id: 42 }, meta: { version: 1 } }, { jobId: 'corrupt', attempts: 5 });
      const failed = await waitFor(async () => ((await Job.fromId(queue.queue, job.id!))?.failedReason ? await Job.fromId(queue.queue, job.id!) : undefined), 'the job to fail');
      expect(failed!.failedReason).toMatch(/partner_id/);
      expect(failed!.attemptsMade).toBe(1);
      expect(await failed!.getState()).toBe('failed');
    } finally {
      await events.close();
    }
  });

  it('closes gracefully: a job in flight finishes before the worker stops', async () => {
    await worker?.close();
    let finished = false;
    worker = createJobWorker(
      [Echo],
      {
        echo: async () => {
          await new Promise((r) => setTimeout(r, 500));
          finished = true;
        },
      },
      { redisUrl, prefix: ns.redisPrefix },
      logger,
    );
    await queue.enqueue({ partner_id: 'p3', cycle: '2026-10' }, { jobId: 'slow' });
    await waitFor(async () => (await queue.queue.getActiveCount()) === 1 || undefined, 'the job to start');
    await worker.close();
    expect(finished).toBe(true);
    worker = undefined;
  });
});
