import { TopicDefinitions, deadLetterTopicOf, physicalTopic } from '@settle/contracts';
import { DeadLetterHeaders, headersToStrings } from '@settle/messaging';
import { Command } from 'commander';
import { CliError } from '../api-client';
import { print } from '../output';
import { deadLetterRef, recordActions, replayedDeadLetters } from '../ops/audit';
import { InfraOptions, OpsContext, infraOptions, opsContext } from '../ops/context';
import { progress } from '../ops/progress';
import { confirm } from '../ops/prompt';
import { table, instant } from '../ops/table';
import { readTopics } from '../ops/topic-reader';

/** One message on a dead-letter topic, as on-call reads it. */
export interface DeadLetterView {
  /** `<dead-letter topic>:<partition>:<offset>`: what `--offset` takes. */
  ref: string;
  dead_letter_topic: string;
  partition: number;
  offset: string;
  original_topic: string;
  original_partition: number | null;
  original_offset: string | null;
  reason: string | null;
  error: string | null;
  attempts: number | null;
  consumer_group: string | null;
  event_type: string | null;
  event_id: string | null;
  /** The message key: the partner id for partner events (the customer id for usage records). */
  key: string | null;
  failed_at: string | null;
  replayed: { by: string; at: string } | null;
  headers: Record<string, string>;
  value: string | null;
}

interface Filters {
  topic?: string;
  reason?: string;
  type?: string;
  partner?: string;
  since?: string;
  until?: string;
  group?: string;
}

const filterOptions = (command: Command) =>
  command
    .option('--topic <logical>', 'only dead letters of this source topic, e.g. settle.usage.records.v1')
    .option('--reason <reason>', 'x-dlt-reason: invalid-data, rejected, handler-failed, malformed, unknown-type')
    .option('--type <ce_type>', 'event type, e.g. settle.usage.record.v1')
    .option('--partner <key>', 'message key (the partner id of partner events, the customer id of usage records)')
    .option('--group <group>', 'consumer group that dead-lettered it')
    .option('--since <iso>', 'dead-lettered at or after this time')
    .option('--until <iso>', 'dead-lettered before this time');

/** The messages as read, by ref: a replay writes the original bytes, not a re-encoding of them. */
const rawMessages = new Map<string, { key: Buffer | null; value: Buffer | null }>();

async function readDeadLetters(ctx: OpsContext, filters: Filters): Promise<DeadLetterView[]> {
  const sources = TopicDefinitions.filter((t) => !filters.topic || t.name === filters.topic);
  if (filters.topic && sources.length === 0) throw new CliError(`--topic ${filters.topic} is not a topic of the platform (${TopicDefinitions.map((t) => t.name).join(', ')}).`);
  const since = filters.since ? instant(filters.since, '--since') : undefined;
  const until = filters.until ? instant(filters.until, '--until') : undefined;
  const [messages, replayed] = await Promise.all([readTopics(ctx.kafka, sources.map((t) => deadLetterTopicOf(physicalTopic(t.name, ctx.topicPrefix)))), replayedDeadLetters(ctx)]);
  const views = messages.map(({ topic, partition, message }): DeadLetterView => {
    const h = headersToStrings(message.headers);
    const ref = deadLetterRef(topic, partition, message.offset);
    const by = replayed.get(ref);
    rawMessages.set(ref, { key: message.key, value: message.value });
    return {
      ref,
      dead_letter_topic: topic,
      partition,
      offset: message.offset,
      original_topic: h[DeadLetterHeaders.OriginalTopic] ?? topic.replace(/\.dlt$/, ''),
      original_partition: h[DeadLetterHeaders.OriginalPartition] !== undefined ? Number(h[DeadLetterHeaders.OriginalPartition]) : null,
      original_offset: h[DeadLetterHeaders.OriginalOffset] ?? null,
      reason: h[DeadLetterHeaders.Reason] ?? null,
      error: h[DeadLetterHeaders.Error] ?? null,
      attempts: h[DeadLetterHeaders.Attempts] !== undefined ? Number(h[DeadLetterHeaders.Attempts]) : null,
      consumer_group: h[DeadLetterHeaders.ConsumerGroup] ?? null,
      event_type: h.ce_type ?? null,
      event_id: h.ce_id ?? null,
      key: message.key?.toString() ?? null,
      failed_at: h[DeadLetterHeaders.FailedAt] ?? null,
      replayed: by ? { by: by.actor, at: by.at } : null,
      headers: h,
      value: message.value?.toString() ?? null,
    };
  });
  return views.filter((v) => {
    if (filters.reason && v.reason !== filters.reason) return false;
    if (filters.type && v.event_type !== filters.type) return false;
    if (filters.partner && v.key !== filters.partner) return false;
    if (filters.group && v.consumer_group !== filters.group) return false;
    const failed = v.failed_at ? new Date(v.failed_at) : undefined;
    if (since && (!failed || failed < since)) return false;
    if (until && (!failed || failed >= until)) return false;
    return true;
  });
}

const summary = (views: DeadLetterView[]) =>
  table(
    ['REF', 'REASON', 'GROUP', 'TYPE', 'KEY', 'FAILED AT', 'REPLAYED', 'ERROR'],
    views.map((v) => [v.ref, v.reason, v.consumer_group, v.event_type, v.key, v.failed_at, v.replayed ? `${v.replayed.at} by ${v.replayed.by}` : 'no', (v.error ?? '').slice(0, 120)]),
  );

export function deadLettersCommand(): Command {
  const dlt = new Command('dead-letters').alias('dlt').description('Messages consumers could not apply: list them with their x-dlt-* headers, replay them to their topic');

  filterOptions(infraOptions(dlt.command('list').description('Dead letters of every topic (or the filtered ones), with reason, group, key and whether they were replayed')))
    .option('--json', 'print JSON (with headers and payloads)')
    .action(async (options: Filters & InfraOptions & { json?: boolean }) => {
      const views = await readDeadLetters(await opsContext(options), options);
      print(views, options.json, () => summary(views));
    });

  filterOptions(
    infraOptions(
      dlt
        .command('replay')
        .description('Write dead letters back to their original topic (consumers are idempotent by ce_id); each replay is recorded so it is not repeated by accident')
        .option('--offset <ref...>', 'the dead letter(s) to replay, as <dead-letter topic>:<partition>:<offset> (see `list`)')
        .option('--all', 'replay every dead letter the filters select (needed when no --offset is given)')
        .option('--again', 'replay even dead letters already replayed')
        .option('--dry-run', 'show what would be replayed; change nothing')
        .option('--yes', 'do not ask for confirmation')
        .option('--json', 'print JSON'),
    ),
  ).action(async (options: Filters & InfraOptions & { offset?: string[]; all?: boolean; again?: boolean; dryRun?: boolean; yes?: boolean; json?: boolean }) => {
    const hasFilter = Boolean(options.topic || options.reason || options.type || options.partner || options.group || options.since || options.until);
    if (!options.offset?.length && !options.all) {
      throw new CliError(hasFilter ? 'Add --all to replay every dead letter these filters select (or name them with --offset).' : 'Name the dead letters with --offset <ref>, or select them with filters and --all.', 2);
    }
    const ctx = await opsContext(options);
    let selected = await readDeadLetters(ctx, options);
    if (options.offset?.length) {
      const wanted = new Set(options.offset);
      const missing = [...wanted].filter((ref) => !selected.some((v) => v.ref === ref));
      if (missing.length) throw new CliError(`No such dead letter (or the filters exclude it): ${missing.join(', ')}. \`settle dead-letters list\` shows the refs.`);
      selected = selected.filter((v) => wanted.has(v.ref));
    }
    const already = selected.filter((v) => v.replayed);
    const toReplay = options.again ? selected : selected.filter((v) => !v.replayed);
    const result = {
      dry_run: Boolean(options.dryRun),
      selected: selected.length,
      skipped_already_replayed: options.again ? [] : already.map((v) => ({ ref: v.ref, replayed_by: v.replayed!.by, replayed_at: v.replayed!.at })),
      replayed: [] as Array<{ ref: string; to: string }>,
    };
    if (!options.dryRun && toReplay.length) {
      await confirm(`Replay ${toReplay.length} dead letter(s) to their original topics?`, options.yes || toReplay.length === 1);
      const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const bar = progress('replaying', toReplay.length);
      try {
        for (const v of toReplay) {
          // The original message as it was first sent: key, value and the CloudEvents headers;
          // the dead-letter headers are dropped and the replay says where it came from.
          const headers: Record<string, string> = Object.fromEntries(Object.entries(v.headers).filter(([name]) => !name.startsWith('x-dlt-')));
          headers['x-replayed-from'] = v.ref;
          const raw = rawMessages.get(v.ref)!;
          const [meta] = await producer.send({ topic: v.original_topic, acks: -1, messages: [{ key: raw.key, value: raw.value, headers }] });
          const to = { topic: v.original_topic, partition: meta.partition, offset: String(meta.baseOffset ?? meta.offset ?? '0') };
          await recordActions(ctx, [
            {
              action: 'dead-letter.replay',
              target: { topic: v.original_topic, dead_letter: { topic: v.dead_letter_topic, partition: v.partition, offset: v.offset }, replayed_to: to },
              details: { reason: v.reason, consumer_group: v.consumer_group, event_id: v.event_id, event_type: v.event_type, again: Boolean(v.replayed) },
              outcome: 'done',
            },
          ]);
          result.replayed.push({ ref: v.ref, to: `${to.topic}:${to.partition}:${to.offset}` });
          bar.tick();
        }
      } finally {
        bar.stop();
        await producer.disconnect();
      }
    }
    print(result, options.json, () => [
      ...(options.dryRun ? ['dry run: nothing replayed', ...summary(toReplay)] : [`replayed ${result.replayed.length}`, ...result.replayed.map((r) => `  ${r.ref} -> ${r.to}`)]),
      ...(result.skipped_already_replayed.length ? [`skipped ${result.skipped_already_replayed.length} already replayed (--again replays them anyway):`, ...result.skipped_already_replayed.map((s) => `  ${s.ref} by ${s.replayed_by} at ${s.replayed_at}`)] : []),
    ]);
    if (!options.dryRun && result.skipped_already_replayed.length && !result.replayed.length) process.exitCode = 2;
  });
  return dlt;
}
