import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope, SecretBox } from '@settle/auth';
import { ConflictError, DeliverInvoiceNotificationJob, NotFoundError } from '@settle/contracts';
import { hasSealingKeys } from './notifications.config';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { InjectJobQueue, JobQueue, LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import { Clock } from '../common/clock';
import { InvoiceConfig } from '../config';
import { DeliveryFailed, EmailSender, WebhookSender } from './channels';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { MessageSettings } from './message-settings.entity';
import { NotificationDelivery } from './notification-delivery.entity';
import { renderEmail } from './notification-templates';
import { Notification, NotificationKind } from './notification.entity';
import { WEBHOOK_BODY_VERSION } from './webhook-signature';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export interface NotificationRequest {
  partnerId: string;
  kind: NotificationKind;
  /** The natural key of the step within its kind (a list, submission, payout or bill invoice id). */
  sourceKey: string;
  occurredAt: Date;
  params: Record<string, string>;
}

export type DeliveryOutcome = 'delivered' | 'already-delivered' | 'held' | 'skipped' | 'stale' | 'unknown' | 'failed' | 'pending';

/** A delivery job of one generation: its id is the natural key BullMQ deduplicates on. */
export const deliveryJobId = (deliveryId: string, generation: number) => `delivery-${deliveryId}-${generation}`;

/** What a delivery needs from the database to be sent (read in a short transaction, sent after it). */
interface Prepared {
  delivery: NotificationDelivery;
  notification: Notification;
  settings: MessageSettings | null;
  endpoint: WebhookEndpoint | null;
  attemptId: string;
}

/**
 * Invoice notifications: `record` writes the notification and one delivery per channel and target
 * in the transaction of the step it reports (deduplicated by the step's natural key); `dispatch`
 * enqueues their jobs after that transaction commits (the sweep enqueues what was never enqueued,
 * e.g. from a consumer's transaction). `deliver` runs in the job: it reads in one short
 * transaction, sends with no transaction open, and records the attempt in another.
 */
@Injectable()
export class NotificationsService implements OnModuleDestroy {
  readonly email: EmailSender;
  private readonly webhooks: WebhookSender;
  private readonly sealing?: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: InvoiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectJobQueue(DeliverInvoiceNotificationJob) private readonly queue: JobQueue<typeof DeliverInvoiceNotificationJob>,
    private readonly clock: Clock,
  ) {
    this.email = new EmailSender(config.SMTP_URL, config.SMTP_FROM);
    this.webhooks = new WebhookSender(config.INVOICE_WEBHOOK_TIMEOUT_MS);
    this.sealing = hasSealingKeys(config)
      ? SecretBox.fromSettings({ keys: config.CREDENTIALS_ENCRYPTION_KEYS, activeId: config.CREDENTIALS_ENCRYPTION_ACTIVE_KEY, legacyKey: config.CREDENTIALS_ENCRYPTION_KEY })
      : undefined;
  }

  /** The keys webhook secrets are sealed with; without any, no endpoint can be registered. */
  get box(): SecretBox {
    if (!this.sealing) throw new ConflictError('Webhooks are not available on this deployment: no sealing key is configured (CREDENTIALS_ENCRYPTION_KEYS or CREDENTIALS_ENCRYPTION_KEY).', 'CBC.99007030');
    return this.sealing;
  }

  onModuleDestroy(): void {
    this.email.close();
  }

  /**
   * Records a notification and its deliveries in the caller's transaction; returns the ids of the
   * deliveries to dispatch after commit (none when the step was already recorded, or the partner
   * chose no channel). Deliveries to a paused endpoint are held until it is resumed.
   */
  async record(m: EntityManager, request: NotificationRequest): Promise<string[]> {
    const id = randomUUID();
    const now = this.clock.now();
    const inserted: unknown[] = await m
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values({ id, partnerId: request.partnerId, kind: request.kind, sourceKey: request.sourceKey, params: request.params, occurredAt: request.occurredAt, createdAt: now } as never)
      .orIgnore()
      .returning(['id'])
      .execute()
      .then((r) => r.raw as unknown[]);
    if (!inserted.length) return [];
    const settings = await m.findOneBy(MessageSettings, { partnerId: request.partnerId });
    if (!settings) return [];
    const deliveries: NotificationDelivery[] = [];
    const delivery = (channel: 'email' | 'webhook', target: string, status: 'pending' | 'held'): NotificationDelivery => ({
      id: randomUUID(), notificationId: id, partnerId: request.partnerId, channel, target, status, generation: 0, attempts: 0, lastError: null, deliveredAt: null, createdAt: now, updatedAt: now,
    });
    if (settings.emailEnabled) for (const address of settings.emailAddresses) deliveries.push(delivery('email', address, 'pending'));
    if (settings.webhookEnabled) {
      const endpoints = await m.find(WebhookEndpoint, { where: { partnerId: request.partnerId, status: In(['active', 'paused']) }, order: { createdAt: 'ASC' } });
      for (const e of endpoints) deliveries.push(delivery('webhook', e.id, e.status === 'paused' ? 'held' : 'pending'));
    }
    if (deliveries.length) await m.insert(NotificationDelivery, deliveries);
    return deliveries.filter((d) => d.status === 'pending').map((d) => d.id);
  }

  /** Enqueues the deliveries' jobs (generation 0); a failure is logged, not thrown: the sweep enqueues them. */
  async dispatch(deliveryIds: string[], generation = 0): Promise<void> {
    for (const id of deliveryIds) await this.enqueue(id, generation);
  }

  /** Enqueues every delivery pending for a moment (its job may never have been enqueued); BullMQ ignores a job id it has. */
  async sweep(limit: number): Promise<number> {
    const pending = await inSystemScope(this.dataSource, (m) =>
      m.find(NotificationDelivery, { where: { status: 'pending', updatedAt: LessThan(new Date(this.clock.now().getTime() - 250)) }, order: { updatedAt: 'ASC' }, take: limit, select: { id: true, generation: true } }),
    );
    for (const d of pending) await this.enqueue(d.id, d.generation);
    if (pending.length) this.logger.debug({ deliveries: pending.length }, 'sweep enqueued pending deliveries');
    return pending.length;
  }

  /** Sends one delivery of one generation, once. `lastAttempt`: the job will not be retried after this one. */
  async deliver(deliveryId: string, generation: number, lastAttempt: boolean): Promise<DeliveryOutcome> {
    const prepared = await this.prepare(deliveryId, generation);
    if (typeof prepared === 'string') return prepared;
    const { delivery, notification, settings, endpoint, attemptId } = prepared;
    const started = Date.now();
    let detail: string;
    try {
      detail = await this.send(delivery, notification, settings, endpoint);
    } catch (error) {
      const reason = error instanceof DeliveryFailed ? error.message : `unexpected: ${(error as Error).message}`;
      const outcome = await this.recordFailure(delivery, attemptId, reason, lastAttempt);
      this.logger.warn({ delivery_id: delivery.id, channel: delivery.channel, kind: notification.kind, attempt: delivery.attempts + 1, reason, outcome }, 'notification delivery failed');
      if (outcome === 'held') return 'held';
      throw new DeliveryFailed(reason);
    }
    await inSystemScope(this.dataSource, async (m) => {
      const now = this.clock.now();
      await m.update(DeliveryAttempt, { id: attemptId }, { outcome: 'accepted', detail, finishedAt: now });
      await m.query(`UPDATE notification_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = $2, last_error = NULL, updated_at = $2 WHERE id = $1`, [delivery.id, now]);
      if (endpoint) await m.update(WebhookEndpoint, { id: endpoint.id }, { consecutiveFailures: 0 });
    });
    this.logger.info({ delivery_id: delivery.id, channel: delivery.channel, kind: notification.kind, ms: Date.now() - started }, 'notification delivered');
    return 'delivered';
  }

  /** An operator's replay of a delivery whose last attempt failed (or that is held): the failed job is retried, or a new generation enqueued. */
  async replay(deliveryId: string): Promise<NotificationDelivery> {
    const delivery = await inSystemScope(this.dataSource, (m) => m.findOneBy(NotificationDelivery, { id: deliveryId }));
    if (!delivery) throw new NotFoundError(`Delivery ${deliveryId} does not exist.`);
    if (delivery.status !== 'failed' && delivery.status !== 'held') throw new ConflictError(`Delivery ${deliveryId} is ${delivery.status}: only a failed or held delivery is replayed.`);
    const job = await this.queue.queue.getJob(deliveryJobId(delivery.id, delivery.generation));
    const failedJob = job && (await job.getState()) === 'failed' ? job : undefined;
    const generation = failedJob ? delivery.generation : delivery.generation + 1;
    await inSystemScope(this.dataSource, (m) => m.update(NotificationDelivery, { id: deliveryId }, { status: 'pending', generation, updatedAt: this.clock.now() }));
    if (failedJob) await failedJob.retry('failed');
    else await this.enqueue(delivery.id, generation);
    this.logger.info({ delivery_id: deliveryId, generation, retried_job: failedJob !== undefined }, 'delivery replayed');
    return { ...delivery, status: 'pending', generation };
  }

  /** Marks a delivery of this generation failed if it is still pending (its job failed without recording it). */
  async markFailed(deliveryId: unknown, generation: unknown, reason: string): Promise<void> {
    if (typeof deliveryId !== 'string' || typeof generation !== 'number') return;
    await inSystemScope(this.dataSource, (m) =>
      m.query(`UPDATE notification_deliveries SET status = 'failed', last_error = $3, updated_at = $4 WHERE id = $1 AND generation = $2 AND status = 'pending'`, [deliveryId, generation, reason.slice(0, 500), this.clock.now()]),
    );
  }

  /** Held deliveries of a resumed endpoint, in the caller's transaction: each starts its next generation. */
  async releaseHeld(m: EntityManager, endpointId: string): Promise<Array<{ id: string; generation: number }>> {
    const [rows]: [Array<{ id: string; generation: number }>, number] = await m.query(
      `UPDATE notification_deliveries SET status = 'pending', generation = generation + 1, updated_at = $2 WHERE channel = 'webhook' AND target = $1 AND status = 'held' RETURNING id, generation`,
      [endpointId, this.clock.now()],
    );
    return rows;
  }

  /** The partner's notifications, newest first, each with its deliveries. */
  notificationsOf(scope: PartnerScope, page: { offset: number; limit: number }) {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const [rows, total] = await m.findAndCount(Notification, { where: { partnerId: scope.partnerId }, order: { createdAt: 'DESC', id: 'ASC' }, skip: page.offset, take: page.limit });
      const deliveries = rows.length ? await m.find(NotificationDelivery, { where: { notificationId: In(rows.map((r) => r.id)) }, order: { createdAt: 'ASC', id: 'ASC' } }) : [];
      return { total, rows: rows.map((n) => ({ notification: n, deliveries: deliveries.filter((d) => d.notificationId === n.id) })) };
    });
  }

  /** The delivery log of one notification: every delivery with every attempt and its outcome. */
  deliveryLog(partnerId: string | null, notificationId: string) {
    const read = async (m: EntityManager) => {
      const notification = await m.findOneBy(Notification, { id: notificationId, ...(partnerId ? { partnerId } : {}) });
      if (!notification) throw new NotFoundError(`Notification ${notificationId} does not exist.`);
      const deliveries = await m.find(NotificationDelivery, { where: { notificationId }, order: { createdAt: 'ASC', id: 'ASC' } });
      const attempts = deliveries.length ? await m.find(DeliveryAttempt, { where: { deliveryId: In(deliveries.map((d) => d.id)) }, order: { startedAt: 'ASC', id: 'ASC' } }) : [];
      return { notification, deliveries: deliveries.map((d) => ({ delivery: d, attempts: attempts.filter((a) => a.deliveryId === d.id) })) };
    };
    return partnerId ? inPartnerScope(this.dataSource, partnerId, read) : inSystemScope(this.dataSource, read);
  }

  /** Operator: deliveries in a status (failed ones wait for a replay), oldest first. */
  deliveriesIn(status: NotificationDelivery['status'], partnerId: string | undefined, limit: number) {
    return inSystemScope(this.dataSource, (m) => m.find(NotificationDelivery, { where: { status, ...(partnerId ? { partnerId } : {}) }, order: { updatedAt: 'ASC' }, take: limit }));
  }

  private async enqueue(deliveryId: string, generation: number): Promise<void> {
    try {
      await this.queue.enqueue(
        { delivery_id: deliveryId, generation },
        { jobId: deliveryJobId(deliveryId, generation), attempts: this.config.INVOICE_NOTIFICATION_ATTEMPTS, backoff: { type: 'exponential', delay: this.config.INVOICE_NOTIFICATION_BACKOFF_MS, jitter: 0.5 } },
      );
    } catch (error) {
      this.logger.warn({ delivery_id: deliveryId, err: (error as Error).message }, 'could not enqueue a delivery; the sweep will');
    }
  }

  private prepare(deliveryId: string, generation: number): Promise<Prepared | DeliveryOutcome> {
    return inSystemScope(this.dataSource, async (m): Promise<Prepared | DeliveryOutcome> => {
      const delivery = await m.findOne(NotificationDelivery, { where: { id: deliveryId }, lock: { mode: 'pessimistic_write' } });
      if (!delivery) return 'unknown';
      if (delivery.generation !== generation) return 'stale';
      if (delivery.status === 'delivered') return 'already-delivered';
      if (delivery.status !== 'pending') return delivery.status;
      const notification = await m.findOneByOrFail(Notification, { id: delivery.notificationId });
      const settings = await m.findOneBy(MessageSettings, { partnerId: delivery.partnerId });
      const now = this.clock.now();
      let endpoint: WebhookEndpoint | null = null;
      if (delivery.channel === 'webhook') {
        endpoint = await m.findOneBy(WebhookEndpoint, { id: delivery.target });
        if (!endpoint || endpoint.status === 'removed') return this.settle(m, delivery, 'skipped', 'the endpoint was removed');
        if (endpoint.status === 'paused') return this.settle(m, delivery, 'held', endpoint.pausedReason ?? 'the endpoint is paused');
      } else if (!this.email.enabled) {
        return this.settle(m, delivery, 'skipped', 'no SMTP server configured');
      }
      // An attempt left "sending" was cut short by a worker that died mid-send (SIGKILL, OOM).
      await m.update(DeliveryAttempt, { deliveryId, outcome: 'sending' }, { outcome: 'interrupted', detail: 'the worker stopped while sending', finishedAt: now });
      const attemptId = randomUUID();
      await m.insert(DeliveryAttempt, { id: attemptId, deliveryId, partnerId: delivery.partnerId, generation, outcome: 'sending', detail: null, startedAt: now, finishedAt: null });
      return { delivery, notification, settings, endpoint, attemptId };
    });
  }

  private async settle(m: EntityManager, delivery: NotificationDelivery, status: 'held' | 'skipped', reason: string): Promise<DeliveryOutcome> {
    await m.update(NotificationDelivery, { id: delivery.id }, { status, lastError: reason, updatedAt: this.clock.now() });
    return status;
  }

  private async send(delivery: NotificationDelivery, n: Notification, settings: MessageSettings | null, endpoint: WebhookEndpoint | null): Promise<string> {
    if (delivery.channel === 'email') {
      const { subject, text } = renderEmail(n.kind, settings?.language ?? 'zh-CN', settings?.timeZone ?? 'Asia/Shanghai', n.params);
      return this.email.send({ to: delivery.target, subject, text, messageId: `<${delivery.id}@settle.invoice>` });
    }
    const e = endpoint as WebhookEndpoint;
    const body = JSON.stringify({ version: WEBHOOK_BODY_VERSION, id: n.id, type: `invoice.${n.kind}`, occurred_at: n.occurredAt.toISOString(), partner_id: n.partnerId, data: n.params });
    return this.webhooks.send({ url: e.url, secret: this.box.open(e.sealedSecret), deliveryId: delivery.id, body, timestampSeconds: Math.floor(this.clock.now().getTime() / 1000) });
  }

  /** Records a failed attempt; pauses an endpoint that failed too often in a row. Returns what became of the delivery. */
  private recordFailure(delivery: NotificationDelivery, attemptId: string, reason: string, lastAttempt: boolean): Promise<'held' | 'failed' | 'pending'> {
    return inSystemScope(this.dataSource, async (m) => {
      const now = this.clock.now();
      await m.update(DeliveryAttempt, { id: attemptId }, { outcome: 'failed', detail: reason, finishedAt: now });
      let paused = false;
      if (delivery.channel === 'webhook') {
        // (TypeORM answers an UPDATE … RETURNING with [rows, affected].)
        const [[row]]: [Array<{ consecutive_failures: number; status: string }>, number] = await m.query(
          `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 RETURNING consecutive_failures, status`,
          [delivery.target],
        );
        if (row && row.status === 'active' && row.consecutive_failures >= this.config.INVOICE_WEBHOOK_PAUSE_AFTER) {
          const why = `paused after ${row.consecutive_failures} failed attempts in a row; last: ${reason}`;
          await m.update(WebhookEndpoint, { id: delivery.target }, { status: 'paused', pausedAt: now, pausedReason: why });
          // Reported: the operator's paused-endpoint list and this warning; the partner sees it on its endpoint.
          this.logger.warn({ endpoint_id: delivery.target, partner_id: delivery.partnerId, consecutive_failures: row.consecutive_failures, reason }, 'webhook endpoint paused');
          paused = true;
        } else if (row?.status === 'paused') {
          paused = true;
        }
      }
      const status = paused ? 'held' : lastAttempt ? 'failed' : 'pending';
      await m.query(`UPDATE notification_deliveries SET status = $2, attempts = attempts + 1, last_error = $3, updated_at = $4 WHERE id = $1`, [delivery.id, status, reason, now]);
      return status;
    });
  }
}
