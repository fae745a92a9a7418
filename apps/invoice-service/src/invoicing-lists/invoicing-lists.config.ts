import { z } from 'zod';

/**
 * The platform's billing entity (the party the partner invoices) and where the paper invoice is
 * mailed, as every invoicing list shows them. Defaults describe a demo entity; a deployment sets its own.
 */
export const InvoicingListsConfigShape = {
  INVOICE_BILLING_ENTITY_NAME: z.string().min(1).max(200).default('Settle Cloud Computing Technologies Co., Ltd.'),
  INVOICE_BILLING_ENTITY_TAXPAYER_ID: z.string().regex(/^[0-9A-Z]{15,20}$/, 'must be a taxpayer identification number').default('91110000MA00SETTLE'),
  INVOICE_BILLING_ENTITY_BANK: z.string().min(1).max(200).default('Industrial and Commercial Bank of China, Beijing Branch'),
  INVOICE_BILLING_ENTITY_ACCOUNT: z.string().min(1).max(64).default('0200000000000000001'),
  INVOICE_BILLING_ENTITY_ADDRESS: z.string().min(1).max(300).default('1 Settle Road, Haidian District, Beijing'),
  INVOICE_BILLING_ENTITY_PHONE: z.string().min(1).max(32).default('010-00000000'),
  INVOICE_MAILING_RECIPIENT: z.string().min(1).max(100).default('Partner Invoice Desk'),
  INVOICE_MAILING_PHONE: z.string().min(1).max(32).default('010-00000001'),
  INVOICE_MAILING_ADDRESS: z.string().min(1).max(300).default('Settle Tower B, 1 Settle Road, Haidian District, Beijing 100085'),
};
