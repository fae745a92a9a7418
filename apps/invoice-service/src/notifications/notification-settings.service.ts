import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { ConflictError, NotFoundError } from '@settle/contracts';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock';
import { MessageSettings, NotificationLanguage } from './message-settings.entity';
import { NotificationsService } from './notifications.service';
import { newWebhookSecret } from './webhook-signature';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** Endpoints a partner may register (a bound keeps one partner from fanning a notification out without end). */
export const MAX_ENDPOINTS = 5;

export interface SettingsInput {
  language: NotificationLanguage;
  timeZone: string;
  emailEnabled: boolean;
  emailAddresses: string[];
  webhookEnabled: boolean;
}

/** A partner's message-receiving settings and webhook endpoints, in its own scope. */
@Injectable()
export class NotificationSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  get(scope: PartnerScope): Promise<MessageSettings | null> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => m.findOneBy(MessageSettings, { partnerId: scope.partnerId }));
  }

  put(scope: PartnerScope, input: SettingsInput): Promise<MessageSettings> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const row: MessageSettings = { partnerId: scope.partnerId, ...input, emailAddresses: [...new Set(input.emailAddresses.map((a) => a.toLowerCase()))], updatedAt: this.clock.now(), updatedBy: scope.actor };
      await m.upsert(MessageSettings, row as never, ['partnerId']);
      return row;
    });
  }

  endpoints(scope: PartnerScope): Promise<WebhookEndpoint[]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => m.find(WebhookEndpoint, { where: { partnerId: scope.partnerId, status: In(['active', 'paused']) }, order: { createdAt: 'ASC' } }));
  }

  /** Registers an endpoint; its secret is returned here and on rotation only (kept sealed). */
  register(scope: PartnerScope, url: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('webhook-endpoints'), hashtext($1))`, [scope.partnerId]);
      const count = await m.count(WebhookEndpoint, { where: { partnerId: scope.partnerId, status: In(['active', 'paused']) } });
      if (count >= MAX_ENDPOINTS) throw new ConflictError(`At most ${MAX_ENDPOINTS} webhook endpoints; remove one first.`);
      const secret = newWebhookSecret();
      const endpoint: WebhookEndpoint = {
        id: randomUUID(), partnerId: scope.partnerId, url, sealedSecret: this.notifications.box.seal(secret), secretVersion: 1, status: 'active', consecutiveFailures: 0, pausedAt: null, pausedReason: null, createdAt: this.clock.now(), rotatedAt: null,
      };
      await m.insert(WebhookEndpoint, endpoint);
      return { endpoint, secret };
    });
  }

  /** A new secret for the endpoint: every delivery from now on is signed with it. */
  rotate(scope: PartnerScope, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    return this.change(scope, id, async (m, e) => {
      const secret = newWebhookSecret();
      const next = { ...e, sealedSecret: this.notifications.box.seal(secret), secretVersion: e.secretVersion + 1, rotatedAt: this.clock.now() };
      await m.update(WebhookEndpoint, { id }, { sealedSecret: next.sealedSecret, secretVersion: next.secretVersion, rotatedAt: next.rotatedAt });
      return { endpoint: next, secret };
    });
  }

  /** Resumes a paused endpoint; what it held is sent (after commit). */
  async resume(scope: PartnerScope, id: string): Promise<WebhookEndpoint> {
    const { endpoint, released } = await this.change(scope, id, async (m, e) => {
      if (e.status !== 'paused') return { endpoint: e, released: [] as Array<{ id: string; generation: number }> };
      await m.update(WebhookEndpoint, { id }, { status: 'active', consecutiveFailures: 0, pausedAt: null, pausedReason: null });
      return { endpoint: { ...e, status: 'active' as const, consecutiveFailures: 0, pausedAt: null, pausedReason: null }, released: await this.notifications.releaseHeld(m, id) };
    });
    for (const d of released) await this.notifications.dispatch([d.id], d.generation);
    return endpoint;
  }

  remove(scope: PartnerScope, id: string): Promise<WebhookEndpoint> {
    return this.change(scope, id, async (m, e) => {
      await m.update(WebhookEndpoint, { id }, { status: 'removed' });
      return { ...e, status: 'removed' as const };
    });
  }

  /** Operator: endpoints in a status (the paused ones are the report of endpoints that kept failing). */
  endpointsIn(status: WebhookEndpoint['status']): Promise<WebhookEndpoint[]> {
    return inSystemScope(this.dataSource, (m) => m.find(WebhookEndpoint, { where: { status }, order: { pausedAt: 'ASC', createdAt: 'ASC' }, take: 500 }));
  }

  private change<T>(scope: PartnerScope, id: string, work: (m: EntityManager, e: WebhookEndpoint) => Promise<T>): Promise<T> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const e = await m.findOne(WebhookEndpoint, { where: { id, partnerId: scope.partnerId, status: In(['active', 'paused']) }, lock: { mode: 'pessimistic_write' } });
      if (!e) throw new NotFoundError(`Webhook endpoint ${id} does not exist.`);
      return work(m, e);
    });
  }
}
