import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DeliverNotificationJob, SweepNotificationsJob } from '@settle/contracts';
import { JobQueue, LOGGER, Logger, SERVICE_CONFIG, createJobWorker } from '@settle/platform';
import { Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { CustomerServiceConfig } from '../config';
import { Notification } from './verification.entities';

/**
 * Where notifications leave the platform. This deployment's channel is the `sink`: delivery is
 * recorded and the message is readable through the operator API (`GET /operator/notifications`),
 * which is how a local stack and the tests receive verification codes. An SMS or email provider
 * plugs in as another implementation selected by NOTIFICATION_CHANNEL; `send` must be safe to call
 * twice for one notification id (providers take it as an idempotency key).
 */
export interface NotificationChannel {
  readonly name: string;
  send(notification: Notification): Promise<void>;
}

export class SinkChannel implements NotificationChannel {
  readonly name = 'sink';
  async send(): Promise<void> {
    // The notification row itself is the sink; marking it delivered makes it readable.
  }
}

/** The grace period before the sweeper assumes a pending notification's job was never enqueued. */
const SWEEP_GRACE_MS = 5_000;

@Injectable()
export class NotificationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private queue?: JobQueue<typeof DeliverNotificationJob>;
  private sweeps?: JobQueue<typeof SweepNotificationsJob>;
  private worker?: Worker;
  private readonly channel: NotificationChannel;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.channel = new SinkChannel();
  }

  /** Stores a notification in the caller's transaction; call `dispatch` after it commits. */
  async request(manager: EntityManager, input: { channel: 'sms' | 'email'; recipient: string; template: string; text: string }): Promise<Notification> {
    const notification = manager.create(Notification, { id: randomUUID(), ...input, status: 'pending', deliveries: 0, deliveredAt: null });
    await manager.insert(Notification, notification);
    return notification;
  }

  /** Enqueues delivery; a failure here is logged, not thrown: the sweeper will enqueue it. */
  async dispatch(notificationId: string): Promise<void> {
    try {
      await this.queue?.enqueue({ notification_id: notificationId }, { jobId: notificationId });
    } catch (error) {
      this.logger.warn({ notification_id: notificationId, err: (error as Error).message }, 'could not enqueue a notification; the sweeper will');
    }
  }

  /** Delivers one notification once: the row is locked, a delivered one is skipped. */
  async deliver(notificationId: string): Promise<'delivered' | 'already-delivered' | 'unknown'> {
    return this.dataSource.transaction(async (m) => {
      const n = await m.findOne(Notification, { where: { id: notificationId }, lock: { mode: 'pessimistic_write' } });
      if (!n) return 'unknown';
      if (n.status === 'delivered') return 'already-delivered';
      await this.channel.send(n);
      await m.update(Notification, { id: n.id }, { status: 'delivered', deliveredAt: new Date(), deliveries: n.deliveries + 1 });
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

  delivered(recipient: string): Promise<Notification[]> {
    return this.dataSource.getRepository(Notification).find({ where: { recipient, status: 'delivered' }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async onApplicationBootstrap(): Promise<void> {
    const connection = { redisUrl: this.config.REDIS_URL, prefix: this.config.REDIS_PREFIX };
    this.queue = new JobQueue(DeliverNotificationJob, connection);
    this.sweeps = new JobQueue(SweepNotificationsJob, connection);
    this.worker = createJobWorker(
      [DeliverNotificationJob, SweepNotificationsJob],
      {
        'notification.deliver': async (data) => ({ result: await this.deliver(data.notification_id) }),
        'notification.sweep': async (data) => ({ enqueued: await this.sweep(data.older_than_ms) }),
      },
      connection,
      this.logger.child({ component: 'notifications' }),
      { concurrency: 4 },
    );
    await this.sweeps.schedule('notification-sweep', this.config.NOTIFICATION_SWEEP_MS, { older_than_ms: SWEEP_GRACE_MS });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    await this.sweeps?.close();
  }
}
