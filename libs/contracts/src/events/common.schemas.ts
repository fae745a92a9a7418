import { z } from 'zod';

/** Identifiers: opaque, printable, bounded. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must contain only letters, digits, ".", "_", ":" or "-"');

/** An ISO-8601 timestamp with offset, e.g. 2026-11-22T10:00:00.000Z. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/** Partner API `association_type`: 1 = consultant-sale (顾问销售), 2 = agency-sale (代售). */
export const AssociationTypeSchema = z.union([z.literal(1), z.literal(2)]);

export const AssociationType = { ConsultantSale: 1, AgencySale: 2 } as const;
export type AssociationType = (typeof AssociationType)[keyof typeof AssociationType];

/** A money amount as the API writes it: a decimal string, never a float. */
export const AmountSchema = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "12.34"');
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
