import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { positiveAmountRule } from '../money-rules';

/**
 * The platform issued an invoice to a partner for what it paid on its bills (a bill invoice,
 * requested by the partner against its invoiceable amount: paid minus already invoiced).
 * `bill_invoice_id` identifies it; it is issued once.
 */
export const BillInvoiceIssuedV1 = defineEvent({
  name: 'settle.invoice.bill-invoice-issued',
  version: 1,
  topic: Topics.InvoiceEvents,
  producer: 'invoice-service',
  description: 'The platform issued an invoice to a partner for amounts it paid on its bills.',
  schema: z
    .object({
      bill_invoice_id: z.uuid(),
      partner_id: IdSchema,
      amount: AmountSchema,
      currency: CurrencySchema,
      invoice_number: z.string().min(1).max(64),
      invoice_code: z.string().max(64).optional(),
      /** The invoice title and taxpayer id it was issued to (the account's invoice information when requested). */
      title: z.string().min(1).max(200),
      taxpayer_id: z.string().min(1).max(20),
      invoice_type: z.enum(['vat-general', 'vat-special']),
      issued_at: IsoDateTimeSchema,
      issued_by: z.string().min(1).max(128),
    })
    .strict()
    .superRefine(positiveAmountRule('amount', 'currency')),
});
