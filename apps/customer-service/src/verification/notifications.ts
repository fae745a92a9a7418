import { SecretBox } from '@settle/auth';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DeliverNotificationJob, SweepNotificationsJob } from '@settle/contracts';
import { InjectJobQueue, JobQueue, JobWorkers, LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { CustomerServiceConfig, secretBoxOf } from '../config';
import { Notification } from './notification.entity';
import { NotificationParams, SecretParams, maskedNotification, renderNotification } from './notification-templates';

/** A notification as it leaves the platform: the only moment its text exists. */
export interface OutgoingMessage {
  notificationId: string;
  channel: 'sms' | 'email';
  recipient: string;
  template: string;
  text: string;
}

/**
 * Where notifications leave the platform, selected by NOTIFICATION_CHANNEL. `send` must be safe to
 * call twice for one notification id (providers take it as an idempotency key).
 */
export interface NotificationChannel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
}

/** Records the delivery only: nothing leaves the platform (local stacks without a provider). */
export class SinkChannel implements NotificationChannel {
  readonly name = 'sink';
  async send(): Promise<void> {
    // Marking the row delivered is the whole delivery; the operator view shows it masked.
  }
}

/** POSTs each message to a URL, as an SMS or email provider's HTTP API is called; non-2xx is retried by the job. */
export class WebhookChannel implements NotificationChannel {
  readonly name = 'webhook';
  constructor(private readonly url: string) {}

  async send(message: OutgoingMessage): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': message.notificationId },
      body: JSON.stringify({ notification_id: message.notificationId, channel: message.channel, recipient: message.recipient, template: message.template, text: message.text }),
      signal: AbortSignal.timeout(10_000),
    });
    // The status only: a provider's answer may echo the message.
    if (!res.ok) throw new Error(`notification webhook answered ${res.status}`);
  }
}

export interface NotificationRequest {
  channel: 'sms' | 'email';
  recipient: string;
  template: string;
  params: NotificationParams;
  /** Sealed until delivery, erased after; never stored or logged readable. */
  secrets?: SecretParams;
}

/** The grace period before the sweeper assumes a pending notification's job was never enqueued. */
const SWEEP_GRACE_MS = 5_000;

@Injectable()
export class NotificationsService implements OnApplicationBootstrap {
  private readonly channel: NotificationChannel;
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly workers: JobWorkers,
    @InjectJobQueue(DeliverNotificationJob) private readonly queue: JobQueue<typeof DeliverNotificationJob>,
    @InjectJobQueue(SweepNotificationsJob) private readonly sweeps: JobQueue<typeof SweepNotificationsJob>,
  ) {
    this.channel = config.NOTIFICATION_CHANNEL === 'webhook' ? new WebhookChannel(config.NOTIFICATION_WEBHOOK_URL as string) : new SinkChannel();
    this.box = secretBoxOf(config);
  }

  /** Stores a notification in the caller's transaction; call `dispatch` after it commits. */
  async request(manager: EntityManager, input: NotificationRequest): Promise<Notification> {
    const notification = manager.create(Notification, {
      id: randomUUID(),
      channel: input.channel,
      recipient: input.recipient,
      template: input.template,
      params: input.params,
      sealedParams: input.secrets ? this.box.seal(JSON.stringify(input.secrets)) : null,
      status: 'pending',
      deliveries: 0,
      deliveredAt: null,
    });
    await manager.insert(Notification, notification);
    return notification;
  }

  /** Enqueues delivery; a failure here is logged, not thrown: the sweeper will enqueue it. */
  async dispatch(notificationId: string): Promise<void> {
    try {
      await this.queue.enqueue({ notification_id: notificationId }, { jobId: notificationId });
    } catch (error) {
      this.logger.warn({ notification_id: notificationId, err: (error as Error).message }, 'could not enqueue a notification; the sweeper will');
    }
  }

  /** Delivers one notification once: the row is locked, a delivered one is skipped. */
  async deliver(notificationId: string): Promise<'delivered' | 'already-delivered' | 'unknown'> {
    return this.dataSource.transaction(async (m) => {
      const n = await m.findOne(Notification, { where: { id: notificationId }, lock: { mode: 'pessimistic_write' } });
      if (!n) return 'unknown';
      if (n.status !== 'pending') return 'already-delivered';
      // Rendered here, handed to the channel, and gone: the sealed secrets are erased with the update.
      const secrets: SecretParams = n.sealedParams ? JSON.parse(this.box.open(n.sealedParams)) : {};
      await this.channel.send({ notificationId: n.id, channel: n.channel, recipient: n.recipient, template: n.template, text: renderNotification(n.template, n.params, secrets) });
      await m.update(Notification, { id: n.id }, { status: 'delivered', deliveredAt: new Date(), deliveries: n.deliveries + 1, sealedParams: null });
      return 'delivered';
    });
  }

  /** Enqueues every notification still pending after `olderThanMs`; returns how many. */
  async sweep(olderThanMs = SWEEP_GRACE_MS): Promise<number> {
    const pending = await this.dataSource.getRepository(Notification).find({
      where: { status: 'pending', createdAt: LessThan(new Date(Date.now() - olderThanMs)) },
      order: { createdAt: 'ASC' },
      take: 1_000,
    });
    for (const n of pending) await this.dispatch(n.id);
    return pending.length;
  }

  /** What was delivered to one recipient, each text with its secrets masked. */
  async delivered(recipient: string): Promise<Array<Notification & { maskedText: string }>> {
    const rows = await this.dataSource.getRepository(Notification).find({ where: { recipient, status: 'delivered' }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map((n) => Object.assign(n, { maskedText: maskedNotification(n.template, n.params) }));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.workers.start(
      [DeliverNotificationJob, SweepNotificationsJob],
      {
        'notification.deliver': async (data) => ({ result: await this.deliver(data.notification_id) }),
        'notification.sweep': async (data) => ({ enqueued: await this.sweep(data.older_than_ms) }),
      },
      { component: 'notifications', concurrency: 4 },
    );
    await this.sweeps.schedule('notification-sweep', this.config.NOTIFICATION_SWEEP_MS, { older_than_ms: SWEEP_GRACE_MS });
  }
}
