import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** On joining a partner, a customer's unused vouchers, discounts and stored-value cards became void. */
export const CustomerVouchersVoidedV1 = defineEvent({
  name: 'settle.customer.vouchers-voided',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: "A customer's unused vouchers, discounts and stored-value cards were voided because it joined a partner.",
  schema: z
    .object({
      customer_id: IdSchema,
      partner_id: IdSchema,
      association_id: IdSchema,
      voided_at: IsoDateTimeSchema,
      vouchers: z.array(
        z.object({ voucher_id: IdSchema, kind: z.enum(['voucher', 'discount', 'stored-value-card']), face_value: AmountSchema, currency: CurrencySchema }).strict(),
      ),
    })
    .strict(),
});
