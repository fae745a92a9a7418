import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { BillCycleSchema } from '../usage/usage-record.event';

/**
 * An incentive notice (激励通知) was issued: a partner's earned incentive of a period, with the
 * number of its lines (earned and adjustment). Published once per notice, in its transaction.
 */
export const IncentiveNoticeIssuedV1 = defineEvent({
  name: 'settle.incentive.notice-issued',
  version: 1,
  topic: Topics.IncentiveEvents,
  producer: 'incentive-service',
  description: 'An incentive notice was issued to a partner for a settlement period: its total and line counts.',
  schema: z
    .object({
      notice_id: z.uuid(),
      partner_id: IdSchema,
      period: BillCycleSchema,
      currency: CurrencySchema,
      total_amount: AmountSchema,
      earned_line_count: z.number().int().min(0),
      adjustment_line_count: z.number().int().min(0),
      issued_at: IsoDateTimeSchema,
    })
    .strict(),
});
