import { Command } from 'commander';
import { CliError, OperatorApi } from '../api-client';
import { print } from '../output';
import { progress } from '../ops/progress';

interface RunView {
  run_id: string;
  bill_cycle: string;
  finalize: boolean;
  status: string;
  partners_total: number | null;
  partners_done: number;
  partners_failed: number;
  partners_pending: number;
  progress: number;
}

const common = (command: Command) => command.option('--url <url>', 'gateway base URL (default SETTLE_URL or http://127.0.0.1:8080)').option('--json', 'print JSON');

const lines = (run: RunView) => [
  `run_id    ${run.run_id}`,
  `cycle     ${run.bill_cycle}${run.finalize ? ' (final bills: the cycle is closed)' : ' (provisional bills: the cycle is open)'}`,
  `status    ${run.status}`,
  `partners  ${run.partners_done} done, ${run.partners_failed} failed, ${run.partners_pending} pending of ${run.partners_total ?? '?'} (${run.progress} %)`,
  ...(run.partners_failed ? ['failed partner jobs: `settle queues jobs billing.bill-generation`, then `settle queues retry billing.bill-generation --all`'] : []),
];

const POLL_MS = 1_000;

/** Follows a run until no partner is pending, with a progress bar on a terminal. */
async function follow(api: OperatorApi, runId: string, timeoutSeconds: number): Promise<RunView> {
  let run = await api.request<RunView>('GET', `/operator/billing/bill-runs/${encodeURIComponent(runId)}`);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const bar = progress(`bill run ${run.bill_cycle}`, 100);
  let shown = 0;
  try {
    // A run is `running` until every partner's bill is done or failed (`completed`, `completed-with-failures`).
    while (run.status === 'running') {
      if (Date.now() > deadline) throw new CliError(`The run is still ${run.status} after ${timeoutSeconds} s (${run.progress} %); \`settle bills status ${runId}\` follows it.`, 2);
      bar.tick(run.progress - shown);
      shown = run.progress;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      run = await api.request<RunView>('GET', `/operator/billing/bill-runs/${encodeURIComponent(runId)}`);
    }
    bar.tick(run.progress - shown);
  } finally {
    bar.stop();
  }
  return run;
}

export function billsCommand(): Command {
  const bills = new Command('bills').description('Bill generation: start a cycle’s run, follow it');

  common(
    bills
      .command('run')
      .description('Start (or join) the bill run of a cycle; bills are final when the cycle is closed. Idempotent: one run per cycle at a time.')
      .requiredOption('--cycle <YYYY-MM>', 'the bill cycle')
      .option('--wait', 'follow the run until every partner’s bill is done (progress bar on a terminal)')
      .option('--timeout <seconds>', 'with --wait: give up following after this long (default 600)'),
  ).action(async (options: { url?: string; json?: boolean; cycle: string; wait?: boolean; timeout?: string }) => {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(options.cycle)) throw new CliError('--cycle must be a bill cycle such as 2026-11.');
    const timeout = options.timeout === undefined ? 600 : Number(options.timeout);
    if (!Number.isInteger(timeout) || timeout < 1) throw new CliError('--timeout must be a whole number of seconds.');
    const api = OperatorApi.fromSettings(options.url);
    let run = await api.request<RunView>('POST', '/operator/billing/bill-runs', { bill_cycle: options.cycle });
    if (options.wait) run = await follow(api, run.run_id, timeout);
    print(run, options.json, () => lines(run));
    if (options.wait && run.partners_failed) process.exitCode = 2;
  });

  common(bills.command('status <run_id>').description('Progress of a bill run').option('--wait', 'follow it until it is done')).action(
    async (runId: string, options: { url?: string; json?: boolean; wait?: boolean }) => {
      const api = OperatorApi.fromSettings(options.url);
      const run = options.wait ? await follow(api, runId, 600) : await api.request<RunView>('GET', `/operator/billing/bill-runs/${encodeURIComponent(runId)}`);
      print(run, options.json, () => lines(run));
    },
  );
  return bills;
}
