import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { MessageSettings } from './message-settings.entity';
import { NotificationDelivery } from './notification-delivery.entity';
import { isTimeZone } from './notification-templates';
import { Notification } from './notification.entity';
import { NotificationSettingsService } from './notification-settings.service';
import { NotificationsService } from './notifications.service';
import { WebhookHeaders } from './webhook-signature';
import { WebhookEndpoint } from './webhook-endpoint.entity';

const SettingsBody = z
  .object({
    language: z.enum(['zh-CN', 'en-US']),
    time_zone: z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    channels: z
      .object({
        email: z.object({ enabled: z.boolean(), addresses: z.array(z.email({ message: 'must be an email address' }).max(254)).max(5).default([]) }).strict().optional(),
        webhook: z.object({ enabled: z.boolean() }).strict().optional(),
      })
      .strict(),
  })
  .strict()
  .refine((b) => !b.channels.email?.enabled || b.channels.email.addresses.length > 0, { message: 'channels.email.addresses: name at least one address when email is enabled', path: ['channels', 'email', 'addresses'] });
const EndpointBody = z
  .object({
    url: z
      .url({ message: 'must be a URL' })
      .max(2000)
      .refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL'),
  })
  .strict();
const EndpointParams = z.object({ endpoint_id: z.uuid({ message: 'must be an endpoint id' }) }).strict();
const NotificationParams = z.object({ notification_id: z.uuid({ message: 'must be a notification id' }) }).strict();
const DeliveryParams = z.object({ delivery_id: z.uuid({ message: 'must be a delivery id' }) }).strict();
const Page = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
const DeliveriesQuery = z.object({ status: z.enum(['pending', 'delivered', 'failed', 'held', 'skipped']).default('failed'), partner_id: IdSchema.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
const EndpointsQuery = z.object({ status: z.enum(['active', 'paused']).default('paused') }).strict();

const settingsView = (s: MessageSettings | null) =>
  s
    ? { language: s.language, time_zone: s.timeZone, channels: { email: { enabled: s.emailEnabled, addresses: s.emailAddresses }, webhook: { enabled: s.webhookEnabled } }, updated_at: s.updatedAt.toISOString() }
    : { language: 'zh-CN', time_zone: 'Asia/Shanghai', channels: { email: { enabled: false, addresses: [] }, webhook: { enabled: false } }, updated_at: null };

const endpointView = (e: WebhookEndpoint) => ({
  endpoint_id: e.id,
  url: e.url,
  status: e.status,
  secret_version: e.secretVersion,
  consecutive_failures: e.consecutiveFailures,
  paused_at: e.pausedAt?.toISOString() ?? null,
  paused_reason: e.pausedReason,
  created_at: e.createdAt.toISOString(),
  rotated_at: e.rotatedAt?.toISOString() ?? null,
});

/** The secret once, with how to check it (docs/invoice-service.md, "Webhooks"). */
const withSecret = (e: WebhookEndpoint, secret: string) => ({ ...endpointView(e), secret, signature: { header: WebhookHeaders.Signature, timestamp_header: WebhookHeaders.Timestamp, id_header: WebhookHeaders.Id, scheme: 'v1=hex(HMAC-SHA256(secret, "<timestamp>.<body>"))' } });

const deliveryView = (d: NotificationDelivery) => ({
  delivery_id: d.id,
  channel: d.channel,
  target: d.target,
  status: d.status,
  attempts: d.attempts,
  last_error: d.lastError,
  delivered_at: d.deliveredAt?.toISOString() ?? null,
});
const attemptView = (a: DeliveryAttempt) => ({ outcome: a.outcome, detail: a.detail, started_at: a.startedAt.toISOString(), finished_at: a.finishedAt?.toISOString() ?? null });
const notificationView = (n: Notification) => ({ notification_id: n.id, kind: n.kind, occurred_at: n.occurredAt.toISOString(), created_at: n.createdAt.toISOString(), params: n.params });
const logView = (log: Awaited<ReturnType<NotificationsService['deliveryLog']>>) => ({
  ...notificationView(log.notification),
  deliveries: log.deliveries.map(({ delivery, attempts }) => ({ ...deliveryView(delivery), attempt_log: attempts.map(attemptView) })),
});

/** Message-receiving settings (消息接收设置) of invoice notifications: language, time zone, channels. */
@Controller('v2/invoices/message-settings')
@RequirePermission('invoice-notifications')
export class MessageSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get()
  async get(@CurrentPrincipal() principal: Principal) {
    return settingsView(await this.settings.get(scopeOf(principal)));
  }

  @Put()
  async put(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseInput(SettingsBody, body);
    const row = await this.settings.put(scopeOf(principal), {
      language: b.language,
      timeZone: b.time_zone,
      emailEnabled: b.channels.email?.enabled ?? false,
      emailAddresses: b.channels.email?.addresses ?? [],
      webhookEnabled: b.channels.webhook?.enabled ?? false,
    });
    return settingsView(row);
  }
}

/** Webhook endpoints, registered, rotated, resumed and removed by the partner. */
@Controller('v2/invoices/webhook-endpoints')
@RequirePermission('invoice-notifications')
export class WebhookEndpointsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.settings.endpoints(scopeOf(principal));
    return { total_count: rows.length, endpoints: rows.map(endpointView) };
  }

  @Post()
  @HttpCode(201)
  async register(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { url } = parseInput(EndpointBody, body);
    const { endpoint, secret } = await this.settings.register(scopeOf(principal), url);
    return withSecret(endpoint, secret);
  }

  @Post(':endpoint_id/rotate-secret')
  @HttpCode(200)
  async rotate(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { endpoint_id } = parseInput(EndpointParams, params);
    const { endpoint, secret } = await this.settings.rotate(scopeOf(principal), endpoint_id);
    return withSecret(endpoint, secret);
  }

  @Post(':endpoint_id/resume')
  @HttpCode(200)
  async resume(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { endpoint_id } = parseInput(EndpointParams, params);
    return endpointView(await this.settings.resume(scopeOf(principal), endpoint_id));
  }

  @Delete(':endpoint_id')
  async remove(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { endpoint_id } = parseInput(EndpointParams, params);
    return endpointView(await this.settings.remove(scopeOf(principal), endpoint_id));
  }
}

/** The partner's invoice notifications and their delivery log (attempts and outcomes). */
@Controller('v2/invoices/notifications')
@RequirePermission('invoices', 'invoice-notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const page = parseInput(Page, query);
    const { total, rows } = await this.notifications.notificationsOf(scopeOf(principal), page);
    return { total_count: total, notifications: rows.map(({ notification, deliveries }) => ({ ...notificationView(notification), deliveries: deliveries.map(deliveryView) })) };
  }

  @Get(':notification_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { notification_id } = parseInput(NotificationParams, params);
    return logView(await this.notifications.deliveryLog(scopeOf(principal).partnerId, notification_id));
  }
}

/** Operators: failed deliveries (to replay), paused endpoints (the report), any notification's log. */
@Controller('operator/invoices')
@RequireOperator()
export class OperatorNotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly settings: NotificationSettingsService,
  ) {}

  @Get('notification-deliveries')
  async deliveries(@Query() query: unknown) {
    const q = parseInput(DeliveriesQuery, query);
    const rows = await this.notifications.deliveriesIn(q.status, q.partner_id, q.limit);
    return { total_count: rows.length, deliveries: rows.map((d) => ({ partner_id: d.partnerId, notification_id: d.notificationId, generation: d.generation, ...deliveryView(d) })) };
  }

  @Post('notification-deliveries/:delivery_id/replay')
  @HttpCode(200)
  async replay(@Param() params: unknown) {
    const { delivery_id } = parseInput(DeliveryParams, params);
    const d = await this.notifications.replay(delivery_id);
    return { partner_id: d.partnerId, generation: d.generation, ...deliveryView(d) };
  }

  @Get('notifications/:notification_id')
  async log(@Param() params: unknown) {
    const { notification_id } = parseInput(NotificationParams, params);
    const log = await this.notifications.deliveryLog(null, notification_id);
    return { partner_id: log.notification.partnerId, ...logView(log) };
  }

  @Get('webhook-endpoints')
  async endpoints(@Query() query: unknown) {
    const { status } = parseInput(EndpointsQuery, query);
    const rows = await this.settings.endpointsIn(status);
    return { total_count: rows.length, endpoints: rows.map((e) => ({ partner_id: e.partnerId, ...endpointView(e) })) };
  }
}
