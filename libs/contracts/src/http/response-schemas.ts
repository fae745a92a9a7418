import { z } from 'zod';

/**
 * Building blocks for the answers routes declare (`@ApiRoute({ response })`): the wire forms the
 * API uses everywhere, so the document says the same thing in the same words. Answer schemas
 * describe what is sent: no transforms, no defaults.
 */

/** A decimal amount as text, in the currency's exponent ("12.30", "-0.05", "100"). */
export const ApiAmount = z.string().regex(/^-?\d+(\.\d+)?$/).describe('A decimal amount as text, in the currency\'s exponent (e.g. "12.30"); never a binary float.');

/** An ISO 4217 currency code. */
export const ApiCurrency = z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217 currency code.');

/** A point in time, ISO 8601 (UTC, `Z`). */
export const ApiTimestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time, UTC.');

/** A calendar day, `YYYY-MM-DD`. */
export const ApiDate = z.iso.date();

/** A UUID. */
export const ApiUuid = z.uuid();

/** A page of a list: `total_count` rows in all, of which this answer carries `offset`…`offset+limit`. */
export const ApiTotalCount = z.number().int().min(0).describe('How many rows match in all (the page carries at most `limit` of them).');
