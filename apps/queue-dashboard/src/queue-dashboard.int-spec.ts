import { INestApplication } from '@nestjs/common';
import { issueOperatorToken } from '@settle/auth';
import { GenerateExportJob, Queues } from '@settle/contracts';
import { JobQueue, createJobWorker, createLogger } from '@settle/platform';
import { testInfrastructure, testNamespace, waitFor } from '@settle/testing';
import { Worker } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { createDashboardApp, loadDashboardConfig } from './queue-dashboard';

/**
 * The queue dashboard in a real browser (Debian's Chromium driven by playwright-core) over the
 * real Redis: no token, no page; an operator signs in, finds a failed job and retries it, and the
 * job then completes in a real BullMQ worker.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ns = testNamespace();
const secret = randomBytes(48).toString('base64');
let app: INestApplication;
let url: string;
let browser: Browser;
let worker: Worker;
let queue: JobQueue<typeof GenerateExportJob>;
let upstreamUp = false;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: \`npm test\` installs Debian's chromium package (or set CHROMIUM_PATH).`);
  const infra = await testInfrastructure();
  const config = loadDashboardConfig({ REDIS_URL: infra.redisUrl, REDIS_PREFIX: ns.redisPrefix, OPERATOR_TOKEN_SECRET: secret, INTERNAL_AUTH_SECRET: randomBytes(48).toString('base64'), LOG_LEVEL: 'warn' });
  ({ app } = await createDashboardApp(config));
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const connection = { redisUrl: infra.redisUrl, prefix: ns.redisPrefix };
  queue = new JobQueue(GenerateExportJob, connection);
  // A worker whose dependency is down until the test brings it back.
  worker = createJobWorker(
    [GenerateExportJob],
    {
      'export.generate': async () => {
        if (!upstreamUp) throw new Error('object storage unavailable');
        return { written: true };
      },
    },
    connection,
    createLogger('dashboard-test', 'silent'),
  );
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
  await queue?.close();
  await app?.close();
}, 60_000);

describe('queue dashboard', () => {
  it('shows no page and no API without an operator token', async () => {
    const api = await fetch(`${url}/queues/api/queues`);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error_code: 'CBC.0151' });
    const forged = await fetch(`${url}/queues/api/queues`, { headers: { authorization: `Bearer ${issueOperatorToken({ subject: 'mallory', roles: ['admin'], ttlSeconds: 60 }, randomBytes(48).toString('base64'))}` } });
    expect(forged.status).toBe(401);
    const page = await browser.newPage();
    await page.goto(`${url}/queues/`);
    expect(new URL(page.url()).pathname).toBe('/queues/login');
    await page.getByLabel('Operator token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Not signed in');
    await page.close();
  });

  it('lets an operator sign in, find the failed job and retry it, and the job completes', async () => {
    const jobId = `export-${randomUUID()}`;
    const job = await queue.enqueue({ task_id: randomUUID() }, { jobId, attempts: 1 });
    await waitFor(async () => (await job.getState()) === 'failed' || undefined, 'the job to fail');
    upstreamUp = true;

    const page = await browser.newPage();
    await page.goto(`${url}/queues/`);
    await page.getByLabel('Operator token').fill(issueOperatorToken({ subject: 'on-call', roles: ['admin'], ttlSeconds: 600 }, secret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(Queues.Exports).first().waitFor();
    await page.goto(`${url}/queues/queue/${encodeURIComponent(Queues.Exports)}?status=failed`);
    // The job's card: its id links to the job, its error is on the card.
    const card = page.locator('div', { has: page.locator(`a[href*="${jobId}"]`) }).filter({ hasText: 'object storage unavailable' }).last();
    await card.waitFor();
    // The card's actions are icon buttons named by their tooltips: hover each to find "Retry".
    const actions = card.locator('ul li button');
    let retry: ReturnType<typeof actions.nth> | undefined;
    for (let i = 0; i < (await actions.count()) && !retry; i += 1) {
      await actions.nth(i).hover();
      const shown = await page
        .getByText('Retry', { exact: true })
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => true, () => false);
      if (shown) retry = actions.nth(i);
    }
    if (!retry) throw new Error(`no Retry action on the failed job's card: ${await card.innerText()}`);
    await retry.click();
    const confirm = page.getByRole('button', { name: /^(confirm|retry|ok|yes)$/i });
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await waitFor(async () => (await queue.queue.getJob(jobId).then((j) => j?.getState())) === 'completed' || undefined, 'the retried job to complete');
    expect((await queue.queue.getJob(jobId))?.returnvalue).toEqual({ written: true });
    await page.close();
  });
});
