import { Command } from 'commander';
import { CliError, OperatorApi } from '../api-client';
import { print } from '../output';
import { confirm } from '../ops/prompt';
import { table } from '../ops/table';

const SERVICES = ['customer-service', 'billing-service', 'incentive-service', 'invoice-service', 'marketplace-service'] as const;

interface OutboxStatus {
  service: string;
  pending: number;
  stuck: number;
  oldest_pending_age_seconds: number | null;
  rows: Array<{ id: string; event_id: string; event_type: string; topic: string; age_seconds: number; publish_attempts: number; last_error: string | null; stuck: boolean }>;
}

const knownService = (name: string) => {
  if (!(SERVICES as readonly string[]).includes(name)) throw new CliError(`--service must be one of ${SERVICES.join(', ')}.`);
  return name;
};

const common = (command: Command) => command.option('--url <url>', 'gateway base URL (default SETTLE_URL or http://127.0.0.1:8080)').option('--json', 'print JSON');

export function outboxCommand(): Command {
  const outbox = new Command('outbox').description('Events each service has written but not yet published: backlog, age, stuck rows; republishing');

  common(outbox.command('status').description('Pending and stuck outbox rows of every service (or one), with their age and last error'))
    .option('--service <name>', `one of ${SERVICES.join(', ')}`)
    .option('--limit <n>', 'rows to show per service (default 20)')
    .action(async (options: { url?: string; json?: boolean; service?: string; limit?: string }) => {
      const api = OperatorApi.fromSettings(options.url);
      const services = options.service ? [knownService(options.service)] : [...SERVICES];
      const statuses = await Promise.all(
        services.map(async (service) => {
          try {
            return await api.request<OutboxStatus>('GET', `/operator/outbox/${service}?limit=${encodeURIComponent(options.limit ?? '20')}`);
          } catch (error) {
            return { service, error: (error as Error).message };
          }
        }),
      );
      print(statuses, options.json, () => [
        ...table(
          ['SERVICE', 'PENDING', 'STUCK', 'OLDEST'],
          statuses.map((s) => ('error' in s ? [s.service, 'unreachable', '-', s.error] : [s.service, s.pending, s.stuck, s.oldest_pending_age_seconds === null ? '-' : `${s.oldest_pending_age_seconds}s`])),
        ),
        ...statuses.flatMap((s) =>
          'error' in s || s.rows.length === 0
            ? []
            : ['', `${s.service}:`, ...table(['ID', 'TYPE', 'AGE', 'ATTEMPTS', 'LAST ERROR'], s.rows.map((r) => [r.id, r.event_type, `${r.age_seconds}s`, r.publish_attempts, (r.last_error ?? '').slice(0, 120)]))],
        ),
      ]);
      if (statuses.some((s) => 'error' in s)) process.exitCode = 2;
    });

  common(
    outbox
      .command('republish')
      .description('Publish already-published events again (consumers dedupe by ce_id, so this changes no state): by event id or by time range')
      .requiredOption('--service <name>', `one of ${SERVICES.join(', ')}`)
      .option('--event-id <uuid...>', 'the event id(s)')
      .option('--since <iso>', 'events that occurred at or after this time')
      .option('--until <iso>', 'events that occurred before this time')
      .option('--type <ce_type>', 'only events of this type')
      .option('--max <n>', 'refuse when more than this many match (default 10000)')
      .option('--dry-run', 'count what would be republished; change nothing')
      .option('--yes', 'do not ask for confirmation'),
  ).action(async (options: { url?: string; json?: boolean; service: string; eventId?: string[]; since?: string; until?: string; type?: string; max?: string; dryRun?: boolean; yes?: boolean }) => {
    const service = knownService(options.service);
    if (!options.eventId?.length && !options.since) throw new CliError('Name the events with --event-id, or a time range with --since.');
    const api = OperatorApi.fromSettings(options.url);
    const body = { event_ids: options.eventId, since: options.since, until: options.until, event_type: options.type, ...(options.max ? { max: Number(options.max) } : {}) };
    const preview = await api.request<{ matched: number; refused?: string }>('POST', `/operator/outbox/${service}/republish`, { ...body, dry_run: true });
    if (options.dryRun || preview.matched === 0) {
      print({ service, matched: preview.matched, republished: 0, dry_run: Boolean(options.dryRun) }, options.json, () => [`${preview.matched} event(s) of ${service} match${options.dryRun ? ' (dry run: nothing republished)' : ''}`]);
      return;
    }
    if (preview.matched > 1) await confirm(`Republish ${preview.matched} event(s) of ${service}?`, options.yes);
    const result = await api.request<{ matched: number; republished: number; refused?: string }>('POST', `/operator/outbox/${service}/republish`, body);
    if (result.refused) throw new CliError(result.refused, 2);
    print({ service, ...result }, options.json, () => [`queued ${result.republished} event(s) of ${service} for republishing; \`settle outbox status\` shows the backlog draining`]);
  });
  return outbox;
}
