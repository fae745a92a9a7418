import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';

const ReviewedInvoiceFields = {
  /** The invoicing list (开票清单) the invoice was submitted against. */
  invoicing_list_id: z.uuid(),
  /** The incentive payout application the list was opened for (`settle.incentive.payout-applied.v1`). */
  application_id: z.uuid(),
  partner_id: IdSchema,
  /** The partner's invoice as recorded: its number and code on the paper or electronic invoice. */
  invoice_number: z.string().min(1).max(64),
  invoice_code: z.string().max(64).optional(),
  net_amount: AmountSchema,
  tax_amount: AmountSchema,
  gross_amount: AmountSchema,
  currency: CurrencySchema,
  /** Which submission of the list this review is about (1 for the first; resubmissions count up). */
  submission: z.number().int().min(1),
};

/**
 * The platform approved the invoice a partner issued for an incentive payout: its amounts and tax
 * match the invoicing list. incentive-service releases the payout of `application_id` from it,
 * exactly once however often this is delivered.
 */
export const InvoiceApprovedV1 = defineEvent({
  name: 'settle.invoice.approved',
  version: 1,
  topic: Topics.InvoiceEvents,
  producer: 'invoice-service',
  description: "An operator approved the partner's invoice for an incentive payout; the payout may be released.",
  schema: z.object({ ...ReviewedInvoiceFields, approved_at: IsoDateTimeSchema, approved_by: z.string().min(1).max(128) }).strict(),
});

/** The invoice was rejected with a reason; the partner may correct and resubmit it. The payout keeps waiting. */
export const InvoiceRejectedV1 = defineEvent({
  name: 'settle.invoice.rejected',
  version: 1,
  topic: Topics.InvoiceEvents,
  producer: 'invoice-service',
  description: "An operator rejected the partner's invoice for an incentive payout with a reason; it can be resubmitted.",
  schema: z
    .object({ ...ReviewedInvoiceFields, rejected_at: IsoDateTimeSchema, rejected_by: z.string().min(1).max(128), reason: z.string().min(1).max(1000) })
    .strict(),
});
