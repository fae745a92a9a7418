import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount, ApiUuid, ErrorCodes, IdSchema } from '@settle/contracts';
import { ApiErrorDeclaration, ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { MessageSettings } from './message-settings.entity';
import { NotificationDelivery } from './notification-delivery.entity';
import { isTimeZone } from './notification-templates';
import { Notification, NotificationKinds } from './notification.entity';
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

/** The message-receiving settings; without any saved, the defaults (nothing is sent) with updated_at null. */
const SettingsResponse = z
  .object({
    language: z.enum(['zh-CN', 'en-US']).describe('The language notifications are written in'),
    time_zone: z.string().describe('The IANA time zone notifications show times in, e.g. Asia/Shanghai'),
    channels: z.object({
      email: z.object({ enabled: z.boolean(), addresses: z.array(z.string()) }),
      webhook: z.object({ enabled: z.boolean().describe('Every active webhook endpoint is called') }),
    }),
    updated_at: ApiTimestamp.nullable().describe('null while the partner has saved no settings (these are then the defaults, and nothing is sent)'),
  })
  .meta({ id: 'InvoiceMessageSettings' });
const EndpointFields = {
  endpoint_id: ApiUuid,
  url: z.string(),
  status: z.enum(['active', 'paused', 'removed']).describe('paused: it kept failing, nothing is sent until it is resumed; removed: deleted by the partner'),
  secret_version: z.number().int().min(1).describe('Counts rotations: 1 for the secret it was registered with'),
  consecutive_failures: z.number().int().min(0),
  paused_at: ApiTimestamp.nullable(),
  paused_reason: z.string().nullable(),
  created_at: ApiTimestamp,
  rotated_at: ApiTimestamp.nullable(),
};
const EndpointResponse = z.object(EndpointFields).meta({ id: 'InvoiceWebhookEndpoint' });
const EndpointWithSecretResponse = z
  .object({
    ...EndpointFields,
    secret: z.string().describe('The signing secret (whsec_…), shown here and on rotation only'),
    signature: z
      .object({ header: z.string(), timestamp_header: z.string(), id_header: z.string(), scheme: z.string() })
      .describe('How deliveries are signed: the headers and the signature scheme'),
  })
  .meta({ id: 'InvoiceWebhookEndpointWithSecret' });
const DeliveryFields = {
  delivery_id: ApiUuid,
  channel: z.enum(['email', 'webhook']),
  target: z.string().describe('The email address, or the webhook endpoint id'),
  status: z.enum(['pending', 'delivered', 'failed', 'held', 'skipped']).describe('held: its endpoint is paused; skipped: the channel is not configured on this deployment'),
  attempts: z.number().int().min(0),
  last_error: z.string().nullable(),
  delivered_at: ApiTimestamp.nullable(),
};
const Generation = z.number().int().min(0).describe('Counts replays and resumptions of the delivery (0 for the first sending)');
const NotificationFields = {
  notification_id: ApiUuid,
  kind: z.enum(NotificationKinds),
  occurred_at: ApiTimestamp,
  created_at: ApiTimestamp,
  params: z.record(z.string(), z.string()).describe('The step\'s facts (amounts as decimal text, times as ISO 8601 UTC)'),
};
const DeliveryLogFields = {
  ...NotificationFields,
  deliveries: z.array(
    z.object({
      ...DeliveryFields,
      attempt_log: z.array(
        z.object({
          outcome: z.enum(['sending', 'accepted', 'failed', 'interrupted']).describe('interrupted: the worker died while sending'),
          detail: z.string().nullable().describe('The receiver\'s answer or the failure (an HTTP status, an SMTP reply, a timeout)'),
          started_at: ApiTimestamp,
          finished_at: ApiTimestamp.nullable(),
        }),
      ),
    }),
  ),
};
const SealingUnavailable: ApiErrorDeclaration = { status: 409, code: 'CBC.99007030', when: 'webhooks are not available on this deployment (no sealing key configured)' };

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
  @ApiRoute({ summary: 'The partner\'s message-receiving settings (消息接收设置) of invoice notifications', response: SettingsResponse })
  async get(@CurrentPrincipal() principal: Principal) {
    return settingsView(await this.settings.get(scopeOf(principal)));
  }

  @Put()
  @ApiRoute({ summary: 'Sets the language, time zone and channels (email addresses, webhooks) of invoice notifications', response: SettingsResponse })
  async put(@ValidBody(SettingsBody) b: z.infer<typeof SettingsBody>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'The partner\'s webhook endpoints (active and paused)', response: z.object({ total_count: ApiTotalCount, endpoints: z.array(EndpointResponse) }) })
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.settings.endpoints(scopeOf(principal));
    return { total_count: rows.length, endpoints: rows.map(endpointView) };
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary: 'Registers a webhook endpoint; its signing secret is answered this once',
    response: EndpointWithSecretResponse,
    errors: [{ status: 409, code: ErrorCodes.Conflict, when: 'the partner already has the most endpoints it may (5): remove one first' }, SealingUnavailable],
  })
  async register(@ValidBody(EndpointBody) { url }: z.infer<typeof EndpointBody>, @CurrentPrincipal() principal: Principal) {
    const { endpoint, secret } = await this.settings.register(scopeOf(principal), url);
    return withSecret(endpoint, secret);
  }

  @Post(':endpoint_id/rotate-secret')
  @HttpCode(200)
  @ApiRoute({ summary: 'Gives a webhook endpoint a new signing secret (answered this once; deliveries are signed with it from now on)', response: EndpointWithSecretResponse, errors: [SealingUnavailable] })
  async rotate(@ValidParams(EndpointParams) { endpoint_id }: z.infer<typeof EndpointParams>, @CurrentPrincipal() principal: Principal) {
    const { endpoint, secret } = await this.settings.rotate(scopeOf(principal), endpoint_id);
    return withSecret(endpoint, secret);
  }

  @Post(':endpoint_id/resume')
  @HttpCode(200)
  @ApiRoute({ summary: 'Resumes a paused webhook endpoint and sends what it held (an active one is answered as it is)', response: EndpointResponse })
  async resume(@ValidParams(EndpointParams) { endpoint_id }: z.infer<typeof EndpointParams>, @CurrentPrincipal() principal: Principal) {
    return endpointView(await this.settings.resume(scopeOf(principal), endpoint_id));
  }

  @Delete(':endpoint_id')
  @ApiRoute({ summary: 'Removes a webhook endpoint (answered with status removed)', response: EndpointResponse })
  async remove(@ValidParams(EndpointParams) { endpoint_id }: z.infer<typeof EndpointParams>, @CurrentPrincipal() principal: Principal) {
    return endpointView(await this.settings.remove(scopeOf(principal), endpoint_id));
  }
}

/** The partner's invoice notifications and their delivery log (attempts and outcomes). */
@Controller('v2/invoices/notifications')
@RequirePermission('invoices', 'invoice-notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiRoute({
    summary: 'The partner\'s invoice notifications, newest first, each with its deliveries',
    response: z.object({ total_count: ApiTotalCount, notifications: z.array(z.object({ ...NotificationFields, deliveries: z.array(z.object(DeliveryFields)) })) }),
  })
  async list(@ValidQuery(Page) page: z.infer<typeof Page>, @CurrentPrincipal() principal: Principal) {
    const { total, rows } = await this.notifications.notificationsOf(scopeOf(principal), page);
    return { total_count: total, notifications: rows.map(({ notification, deliveries }) => ({ ...notificationView(notification), deliveries: deliveries.map(deliveryView) })) };
  }

  @Get(':notification_id')
  @ApiRoute({ summary: 'The delivery log of a notification: every delivery with every attempt and its outcome', response: z.object(DeliveryLogFields) })
  async get(@ValidParams(NotificationParams) { notification_id }: z.infer<typeof NotificationParams>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({
    summary: 'Deliveries in a status (failed by default: those waiting for a replay), oldest first',
    response: z.object({ total_count: ApiTotalCount, deliveries: z.array(z.object({ partner_id: z.string(), notification_id: ApiUuid, generation: Generation, ...DeliveryFields })) }),
  })
  async deliveries(@ValidQuery(DeliveriesQuery) q: z.infer<typeof DeliveriesQuery>) {
    const rows = await this.notifications.deliveriesIn(q.status, q.partner_id, q.limit);
    return { total_count: rows.length, deliveries: rows.map((d) => ({ partner_id: d.partnerId, notification_id: d.notificationId, generation: d.generation, ...deliveryView(d) })) };
  }

  @Post('notification-deliveries/:delivery_id/replay')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Replays a failed or held delivery (retries its failed job, or enqueues its next generation)',
    response: z.object({ partner_id: z.string(), generation: Generation, ...DeliveryFields }),
    errors: [{ status: 409, code: ErrorCodes.Conflict, when: 'the delivery is neither failed nor held' }],
  })
  async replay(@ValidParams(DeliveryParams) { delivery_id }: z.infer<typeof DeliveryParams>) {
    const d = await this.notifications.replay(delivery_id);
    return { partner_id: d.partnerId, generation: d.generation, ...deliveryView(d) };
  }

  @Get('notifications/:notification_id')
  @ApiRoute({ summary: 'The delivery log of any partner\'s notification', response: z.object({ partner_id: z.string(), ...DeliveryLogFields }) })
  async log(@ValidParams(NotificationParams) { notification_id }: z.infer<typeof NotificationParams>) {
    const log = await this.notifications.deliveryLog(null, notification_id);
    return { partner_id: log.notification.partnerId, ...logView(log) };
  }

  @Get('webhook-endpoints')
  @ApiRoute({ summary: 'Webhook endpoints in a status (paused by default: the report of endpoints that kept failing)', response: z.object({ total_count: ApiTotalCount, endpoints: z.array(z.object({ partner_id: z.string(), ...EndpointFields })) }) })
  async endpoints(@ValidQuery(EndpointsQuery) { status }: z.infer<typeof EndpointsQuery>) {
    const rows = await this.settings.endpointsIn(status);
    return { total_count: rows.length, endpoints: rows.map((e) => ({ partner_id: e.partnerId, ...endpointView(e) })) };
  }
}
