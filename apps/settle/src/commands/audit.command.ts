import { Command } from 'commander';
import { print } from '../output';
import { recordedActions } from '../ops/audit';
import { InfraOptions, infraOptions, opsContext } from '../ops/context';
import { instant, table } from '../ops/table';

/** What on-call did with this CLI on Kafka and Redis, from the audit topic. */
export function auditCommand(): Command {
  const audit = new Command('audit').description('The record of on-call actions taken with this CLI (replays, offset resets, queue actions)');
  infraOptions(audit.command('list').description('Recorded actions, oldest first'))
    .option('--action <action>', 'e.g. dead-letter.replay, queue.retry, consumer-group.reset-offsets')
    .option('--actor <subject>', 'the operator who acted')
    .option('--since <iso>', 'actions at or after this time')
    .option('--json', 'print JSON')
    .action(async (options: InfraOptions & { action?: string; actor?: string; since?: string; json?: boolean }) => {
      const since = options.since ? instant(options.since, '--since') : undefined;
      const actions = (await recordedActions(await opsContext(options))).filter(
        (a) => (!options.action || a.action === options.action) && (!options.actor || a.actor === options.actor) && (!since || new Date(a.at) >= since),
      );
      print(actions, options.json, () =>
        table(
          ['AT', 'ACTOR', 'ACTION', 'TARGET', 'OUTCOME'],
          actions.map((a) => [a.at, a.actor, a.action, a.target.dead_letter ? `${a.target.dead_letter.topic}:${a.target.dead_letter.partition}:${a.target.dead_letter.offset}` : (a.target.queue ?? a.target.group ?? a.target.topic), a.outcome]),
        ),
      );
    });
  return audit;
}
