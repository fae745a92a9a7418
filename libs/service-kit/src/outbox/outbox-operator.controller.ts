import { Controller, DynamicModule, Get, Inject, Module, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator } from '@settle/auth';
import { outboxChannel } from '@settle/messaging';
import { ApiRoute, LOGGER, Logger, ValidBody, ValidQuery } from '@settle/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';

/** Rows the relay has failed to publish at least this often are reported as stuck. */
const STUCK_AFTER_ATTEMPTS = 1;

const StatusQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }).strict();

/**
 * Which events to publish again. Consumers dedupe by `ce_id`, so a republish changes no state
 * downstream; it exists for a consumer that lost an event outside Kafka (a topic deleted and
 * recreated, a retention gap). Bounded, so a typo cannot republish a month.
 */
const RepublishBody = z
  .object({
    event_ids: z.array(z.uuid()).min(1).max(1000).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    event_type: z.string().min(1).max(200).optional(),
    dry_run: z.boolean().default(false),
    max: z.number().int().min(1).max(100_000).default(10_000),
  })
  .strict()
  .refine((b) => b.event_ids !== undefined || b.since !== undefined, { message: 'name event_ids or a since time' });

const OutboxStatusResponse = z.object({
  service: z.string(),
  pending: z.number().int().describe('Events written but not yet published'),
  stuck: z.number().int().describe('Pending events the relay has failed to publish at least once'),
  oldest_pending_age_seconds: z.number().int().nullable(),
  rows: z.array(
    z.object({
      id: z.string(),
      event_id: z.uuid(),
      event_type: z.string(),
      topic: z.string(),
      age_seconds: z.number().int(),
      publish_attempts: z.number().int(),
      last_error: z.string().nullable(),
      stuck: z.boolean(),
    }),
  ),
});
const RepublishResponse = z.object({
  service: z.string(),
  matched: z.number().int().describe('Published events the filter selects'),
  republished: z.number().int().describe('Events queued to be published again (0 on a dry run or a refusal)'),
  dry_run: z.boolean(),
  refused: z.string().optional().describe('Why nothing was queued: the filter matches more than max'),
});

interface OutboxRow {
  id: string;
  event_id: string;
  event_type: string;
  topic: string;
  occurred_at: Date;
  publish_attempts: number;
  last_error: string | null;
}

/**
 * The operator's view of one service's outbox (`/operator/outbox/<service>`): what waits, how
 * old the oldest is, which rows the relay keeps failing on and why; and a bounded republish.
 */
export function outboxOperatorModule(service: string, schema: string): DynamicModule {
  const table = `"${schema.replace(/"/g, '""')}".outbox`;

  @Controller(`operator/outbox/${service}`)
  @RequireOperator()
  class OutboxOperatorController {
    constructor(
      private readonly dataSource: DataSource,
      @Inject(LOGGER) private readonly logger: Logger,
    ) {}

    @Get()
    @ApiRoute({ summary: 'The service\'s outbox: pending and stuck events, the oldest one\'s age, the relay\'s last errors', response: OutboxStatusResponse })
    async status(@ValidQuery(StatusQuery) q: z.infer<typeof StatusQuery>) {
      const [summary] = await this.dataSource.query(
        `SELECT count(*)::int AS pending, min(occurred_at) AS oldest,
                count(*) FILTER (WHERE publish_attempts >= $1)::int AS stuck
           FROM ${table} WHERE published_at IS NULL`,
        [STUCK_AFTER_ATTEMPTS],
      );
      const rows: OutboxRow[] = await this.dataSource.query(
        `SELECT id, event_id, event_type, topic, occurred_at, publish_attempts, last_error
           FROM ${table} WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [q.limit],
      );
      const now = Date.now();
      return {
        service,
        pending: summary.pending,
        stuck: summary.stuck,
        oldest_pending_age_seconds: summary.oldest ? Math.max(0, Math.floor((now - new Date(summary.oldest).getTime()) / 1000)) : null,
        rows: rows.map((r) => ({
          id: r.id,
          event_id: r.event_id,
          event_type: r.event_type,
          topic: r.topic,
          age_seconds: Math.max(0, Math.floor((now - new Date(r.occurred_at).getTime()) / 1000)),
          publish_attempts: r.publish_attempts,
          last_error: r.last_error,
          stuck: r.publish_attempts >= STUCK_AFTER_ATTEMPTS,
        })),
      };
    }

    @Post('republish')
    @ApiRoute({ summary: 'Queues published events to be published again (consumers dedupe by ce_id); bounded by max', response: RepublishResponse })
    async republish(@ValidBody(RepublishBody) b: z.infer<typeof RepublishBody>, @CurrentPrincipal() principal: Principal) {
      const where: string[] = ['published_at IS NOT NULL'];
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (b.event_ids) where.push(`event_id = ANY(${param(b.event_ids)}::uuid[])`);
      if (b.since) where.push(`occurred_at >= ${param(b.since)}`);
      if (b.until) where.push(`occurred_at < ${param(b.until)}`);
      if (b.event_type) where.push(`event_type = ${param(b.event_type)}`);
      const condition = where.join(' AND ');
      const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM ${table} WHERE ${condition}`, params);
      const actor = principal.kind === 'operator' ? principal.subject : principal.kind;
      if (b.dry_run || count === 0) return { service, matched: count, republished: 0, dry_run: b.dry_run };
      if (count > b.max) {
        return { service, matched: count, republished: 0, dry_run: false, refused: `matches ${count} events, more than max ${b.max}; narrow the filter or raise max` };
      }
      const republished = await this.dataSource.transaction(async (manager) => {
        // pg answers an UPDATE with [rows, affected].
        const [, affected] = (await manager.query(`UPDATE ${table} SET published_at = NULL, publish_attempts = 0, last_error = NULL WHERE ${condition}`, params)) as [unknown, number];
        await manager.query('SELECT pg_notify($1, $2)', [outboxChannel(schema), '']);
        return affected;
      });
      this.logger.info({ audit: true, actor, action: 'outbox.republish', service, filter: { ...b, event_ids: b.event_ids?.length }, republished }, 'outbox events queued for republishing');
      return { service, matched: count, republished, dry_run: false };
    }
  }

  @Module({ controllers: [OutboxOperatorController] })
  class OutboxOperatorModule {}
  return { module: OutboxOperatorModule };
}
