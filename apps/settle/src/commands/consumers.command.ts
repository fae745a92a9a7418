import { ConsumerGroups, TopicDefinitions, physicalGroupId, physicalTopic } from '@settle/contracts';
import { Command } from 'commander';
import { Admin, AssignerProtocol } from 'kafkajs';
import { CliError } from '../api-client';
import { print } from '../output';
import { recordActions } from '../ops/audit';
import { InfraOptions, OpsContext, infraOptions, opsContext } from '../ops/context';
import { confirm } from '../ops/prompt';
import { instant, table } from '../ops/table';

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** The group's committed offset (the next message it will read), or null when it committed none. */
  committed: string | null;
  end: string;
  lag: number;
}

export interface GroupLag {
  group: string;
  state: string;
  members: number;
  lag: number;
  partitions: PartitionLag[];
}

const strip = (name: string, prefix: string) => (prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name);

/**
 * A group's lag on the topics it consumes. Kafka knows those from the group's commits (and from
 * its members' subscriptions while it runs), so every platform topic is asked for: a topic the
 * group committed on counts in full, and its partitions without a commit count from their start,
 * as the platform's consumers read a new partition from the beginning.
 */
async function groupLag(admin: Admin, ctx: OpsContext, group: string): Promise<GroupLag> {
  const groupId = physicalGroupId(group, ctx.topicPrefix);
  const existing = new Set(await admin.listTopics());
  const topics = TopicDefinitions.map((t) => physicalTopic(t.name, ctx.topicPrefix)).filter((t) => existing.has(t));
  const [{ groups }, committed] = await Promise.all([admin.describeGroups([groupId]), admin.fetchOffsets({ groupId, topics })]);
  const description = groups[0];
  const subscribed = new Set<string>();
  for (const member of description?.members ?? []) {
    try {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      for (const topic of Object.keys(assignment?.assignment ?? {})) subscribed.add(topic);
    } catch {
      // An assignment we cannot read: the commits still say which topics the group consumes.
    }
  }
  const partitions: PartitionLag[] = [];
  for (const { topic, partitions: parts } of committed) {
    if (!subscribed.has(topic) && !parts.some((p) => p.offset !== '-1')) continue;
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
    for (const p of parts) {
      const end = ends.get(p.partition);
      if (!end) continue;
      const has = p.offset !== '-1';
      const lag = Number(BigInt(end.high) - (has ? BigInt(p.offset) : BigInt(end.low)));
      partitions.push({ group, topic: strip(topic, ctx.topicPrefix), partition: p.partition, committed: has ? p.offset : null, end: end.high, lag: Math.max(0, lag) });
    }
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { group, state: description?.state ?? 'Unknown', members: description?.members.length ?? 0, lag: partitions.reduce((n, p) => n + p.lag, 0), partitions };
}

function knownGroup(group: string): string {
  const all = Object.values(ConsumerGroups) as string[];
  if (!all.includes(group)) throw new CliError(`--group ${group} is not a consumer group of the platform (${all.join(', ')}).`);
  return group;
}

export function consumersCommand(): Command {
  const consumers = new Command('consumers').description('Consumer groups of every service: lag per partition, and re-consuming a topic from an offset or a time');

  infraOptions(consumers.command('lag').description('Lag per group and partition (committed offset against the end of the partition)'))
    .option('--group <group>', 'one consumer group, e.g. settle.billing.usage-ingest')
    .option('--all-partitions', 'list partitions with no lag too')
    .option('--json', 'print JSON')
    .action(async (options: InfraOptions & { group?: string; allPartitions?: boolean; json?: boolean }) => {
      const ctx = await opsContext(options);
      const groups = options.group ? [knownGroup(options.group)] : (Object.values(ConsumerGroups) as string[]);
      const admin = ctx.kafka.admin();
      await admin.connect();
      try {
        const lags = await Promise.all(groups.map((g) => groupLag(admin, ctx, g)));
        print(lags, options.json, () => [
          ...table(['GROUP', 'STATE', 'MEMBERS', 'LAG'], lags.map((l) => [l.group, l.state, l.members, l.lag])),
          '',
          ...table(
            ['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'],
            lags.flatMap((l) => l.partitions.filter((p) => options.allPartitions || p.lag > 0).map((p) => [p.group, p.topic, p.partition, p.committed, p.end, p.lag])),
          ),
        ]);
      } finally {
        await admin.disconnect();
      }
    });

  infraOptions(
    consumers
      .command('replay')
      .description("Make a service's consumer group read a topic again from an offset or a time. Safe: every consumer records each event id with its effect, so events already applied change nothing. The group must have no members (stop the service's consumers first).")
      .requiredOption('--group <group>', 'the consumer group, e.g. settle.billing.usage-ingest')
      .requiredOption('--topic <logical>', 'the topic, e.g. settle.usage.records.v1')
      .option('--from-offset <n>', 'offset to read from, on every partition (0 = from the start of what the broker keeps)')
      .option('--from-time <iso>', 'read from the first message at or after this time')
      .option('--partition <n>', 'only this partition')
      .option('--yes', 'do not ask for confirmation')
      .option('--json', 'print JSON'),
  ).action(async (options: InfraOptions & { group: string; topic: string; fromOffset?: string; fromTime?: string; partition?: string; yes?: boolean; json?: boolean }) => {
    knownGroup(options.group);
    if (!TopicDefinitions.some((t) => t.name === options.topic)) throw new CliError(`--topic ${options.topic} is not a topic of the platform (${TopicDefinitions.map((t) => t.name).join(', ')}).`);
    if ((options.fromOffset === undefined) === (options.fromTime === undefined)) throw new CliError('Give exactly one of --from-offset or --from-time.');
    if (options.fromOffset !== undefined && !/^\d+$/.test(options.fromOffset)) throw new CliError('--from-offset must be a whole number.');
    if (options.partition !== undefined && !/^\d+$/.test(options.partition)) throw new CliError('--partition must be a whole number.');
    const ctx = await opsContext(options);
    const groupId = physicalGroupId(options.group, ctx.topicPrefix);
    const topic = physicalTopic(options.topic, ctx.topicPrefix);
    const admin = ctx.kafka.admin();
    await admin.connect();
    try {
      const before = await groupLag(admin, ctx, options.group);
      if (before.members > 0) {
        throw new CliError(`${options.group} has ${before.members} active member(s) (${before.state}). Stop that service's consumers first (scale it to 0, or stop the process); Kafka only resets the offsets of a group with no members.`, 2);
      }
      const ends = await admin.fetchTopicOffsets(topic);
      const only = options.partition === undefined ? undefined : Number(options.partition);
      if (only !== undefined && !ends.some((e) => e.partition === only)) throw new CliError(`${options.topic} has no partition ${only}.`);
      const targets = new Map<number, string>();
      if (options.fromTime !== undefined) {
        const at = instant(options.fromTime, '--from-time').getTime();
        for (const p of await admin.fetchTopicOffsetsByTimestamp(topic, at)) {
          const end = ends.find((e) => e.partition === p.partition)!;
          targets.set(p.partition, p.offset === '-1' ? end.high : p.offset);
        }
      } else {
        for (const e of ends) {
          const wanted = BigInt(options.fromOffset!);
          const clamped = wanted < BigInt(e.low) ? BigInt(e.low) : wanted > BigInt(e.high) ? BigInt(e.high) : wanted;
          targets.set(e.partition, clamped.toString());
        }
      }
      const committedOf = (partition: number) => before.partitions.find((p) => p.topic === options.topic && p.partition === partition)?.committed ?? null;
      const plan = ends
        .filter((e) => only === undefined || e.partition === only)
        .map((e) => {
          const to = targets.get(e.partition)!;
          return { partition: e.partition, from: committedOf(e.partition), to, end: e.high, to_read: Number(BigInt(e.high) - BigInt(to)) };
        });
      const total = plan.reduce((n, p) => n + p.to_read, 0);
      const lines = () => [
        `${options.group} on ${options.topic}: ${total} message(s) will be consumed again.`,
        'Consumers are idempotent (each event id is recorded as processed in the transaction of its effect), so events already applied change nothing; events never applied are applied now.',
        ...table(['PARTITION', 'COMMITTED', 'NEW OFFSET', 'END', 'TO READ'], plan.map((p) => [p.partition, p.from, p.to, p.end, p.to_read])),
      ];
      if (!options.json) process.stdout.write(`${lines().join('\n')}\n`);
      await confirm(`Reset ${options.group} on ${options.topic}?`, options.yes);
      await admin.setOffsets({ groupId, topic, partitions: plan.map((p) => ({ partition: p.partition, offset: p.to })) });
      await recordActions(ctx, [{ action: 'consumer-group.reset-offsets', target: { group: options.group, topic: options.topic }, details: { from_offset: options.fromOffset, from_time: options.fromTime, partitions: plan, to_read: total }, outcome: 'done' }]);
      const result = { group: options.group, topic: options.topic, to_read: total, partitions: plan };
      if (options.json) print(result, true, () => []);
      else process.stdout.write('Offsets reset. Start the consumers again; `settle consumers lag` shows the replay draining.\n');
    } finally {
      await admin.disconnect();
    }
  });
  return consumers;
}
