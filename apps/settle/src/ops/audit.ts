import { EventData, OperatorActionRecordedV1, physicalTopic } from '@settle/contracts';
import { decodeEvent, encodeEvent } from '@settle/messaging';
import { randomUUID } from 'node:crypto';
import { OpsContext } from './context';
import { readTopics } from './topic-reader';

export type OperatorAction = EventData<typeof OperatorActionRecordedV1>;

const auditTopic = (ctx: OpsContext) => physicalTopic(OperatorActionRecordedV1.topic, ctx.topicPrefix);

/** Where a dead letter sits, as the audit names it. */
export const deadLetterRef = (topic: string, partition: number, offset: string) => `${topic}:${partition}:${offset}`;

/**
 * Records what the CLI did, before it reports success: the audit topic is part of the change.
 * If the audit cannot be written, the command fails loudly (and says what it already changed).
 */
export async function recordActions(ctx: OpsContext, actions: Array<Omit<OperatorAction, 'actor' | 'at'>>): Promise<void> {
  if (actions.length === 0) return;
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const at = new Date().toISOString();
    const messages = actions.map((a) => {
      const data: OperatorAction = OperatorActionRecordedV1.schema.parse({ ...a, actor: ctx.actor, at });
      const key = data.target.dead_letter ? deadLetterRef(data.target.dead_letter.topic, data.target.dead_letter.partition, data.target.dead_letter.offset) : (data.target.queue ?? data.target.group ?? data.target.topic ?? data.action);
      return encodeEvent({ id: randomUUID(), type: OperatorActionRecordedV1.type, source: '/settle/settle-cli', time: at, partitionKey: key, data });
    });
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic: auditTopic(ctx), acks: -1, messages: messages.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

/** Every recorded action so far, oldest first. */
export async function recordedActions(ctx: OpsContext): Promise<OperatorAction[]> {
  const read = await readTopics(ctx.kafka, [auditTopic(ctx)]);
  const actions: OperatorAction[] = [];
  for (const { message } of read) {
    try {
      const event = decodeEvent(message);
      if (event.type === OperatorActionRecordedV1.type) actions.push(event.data as OperatorAction);
    } catch {
      // A foreign message on the audit topic is not an action of ours.
    }
  }
  return actions;
}

/** Dead letters already replayed (by `deadLetterRef`), with who replayed them and when. */
export async function replayedDeadLetters(ctx: OpsContext): Promise<Map<string, OperatorAction>> {
  const replayed = new Map<string, OperatorAction>();
  for (const action of await recordedActions(ctx)) {
    const d = action.target.dead_letter;
    if (action.action === 'dead-letter.replay' && action.outcome === 'done' && d) replayed.set(deadLetterRef(d.topic, d.partition, d.offset), action);
  }
  return replayed;
}
