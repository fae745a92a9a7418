import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, tenantOf } from '@settle/auth';
import { ApiTimestamp } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { NotificationsService } from './notifications';
import { VerificationService, effectiveTimeoutMinutes } from './verification.service';

/** `POST /v2/bases/verificationcode/send`, fields as the public partner API. */
const SendBody = z
  .object({
    receiver_type: z.literal(1, 'must be 1 (SMS)'),
    timeout: z.number().int().min(1).max(3000).optional().nullable(),
    mobile_phone: z.string().max(32).regex(/^\d{11}$/, 'must be an 11-digit mobile number'),
    lang: z.enum(['zh-cn', 'en-us']).optional().nullable().or(z.literal('').transform(() => null)),
    scene: z.union([z.literal(29), z.literal(18)]).optional().nullable(),
    customer_id: z.string().max(64).optional().nullable(),
  })
  .strict()
  .refine((b) => b.scene !== 18 || Boolean(b.customer_id), { message: 'is required when scene is 18', path: ['customer_id'] });

const NotificationsQuery = z.object({ recipient: z.string().min(1).max(64) }).strict();

const DeliveredResponse = z.object({
  recipient: z.string(),
  notifications: z.array(
    z.object({
      notification_id: z.string(),
      channel: z.enum(['sms', 'email']),
      template: z.string().describe('The template id, e.g. "verification-code.29"'),
      text: z.string().describe('The delivered text with its secrets (a code) masked'),
      delivered_at: ApiTimestamp.nullable(),
    }),
  ),
});

@Controller()
export class VerificationController {
  constructor(
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
  ) {}

  @Post('v2/bases/verificationcode/send')
  @HttpCode(204)
  // The code confirms a new customer's mobile number: whoever may add customers may send it.
  @RequirePermission('customers:all', 'customers:own')
  @ApiRoute({
    summary: 'Sends an SMS verification code to a new customer\'s mobile number (SendVerificationMessageCode)',
    response: { empty: true },
    errors: [{ status: 429, code: 'CBC.0250', when: 'the number already received 15 codes in the last hour or 60 in the last day' }],
  })
  async send(@ValidBody(SendBody) input: z.infer<typeof SendBody>, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.verification.send({
      partnerId: tenantOf(principal),
      mobile: input.mobile_phone,
      scene: String(input.scene ?? 29),
      timeoutMinutes: effectiveTimeoutMinutes(input.timeout),
      lang: input.lang ?? 'zh-cn',
    });
  }

  /** What was delivered to one recipient; the texts are masked (a code is never served readable). */
  @Get('operator/notifications')
  @RequireOperator()
  @ApiRoute({ summary: 'The notifications delivered to one recipient, texts masked', response: DeliveredResponse })
  async delivered(@ValidQuery(NotificationsQuery) { recipient }: z.infer<typeof NotificationsQuery>) {
    const delivered = await this.notifications.delivered(recipient);
    return {
      recipient,
      notifications: delivered.map((n) => ({ notification_id: n.id, channel: n.channel, template: n.template, text: n.maskedText, delivered_at: n.deliveredAt?.toISOString() ?? null })),
    };
  }
}
