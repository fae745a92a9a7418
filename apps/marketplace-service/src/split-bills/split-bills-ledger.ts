import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * What booking a partner line needs of split bills: the partner's lock (taken by issuing too, so
 * a line is either in an issued bill or lands after it) and the last cycle already issued.
 */
@Injectable()
export class SplitBillsLedger {
  /** Locks the partners (one statement, fixed order: no deadlock) and answers their last issued cycle per currency. */
  async lockAndLastIssued(m: EntityManager, lines: readonly { partnerId: string; currency: string }[]): Promise<(partnerId: string, currency: string) => string | null> {
    const partners = [...new Set(lines.map((l) => l.partnerId))];
    if (partners.length === 0) return () => null;
    await lockPartners(m, partners);
    const rows: { partner_id: string; currency: string; last: string }[] = await m.query(
      `SELECT partner_id, currency, max(bill_cycle) AS last FROM split_bills WHERE partner_id = ANY($1::text[]) GROUP BY partner_id, currency`,
      [partners],
    );
    const last = new Map(rows.map((r) => [`${r.partner_id}|${r.currency}`, r.last]));
    return (partnerId, currency) => last.get(`${partnerId}|${currency}`) ?? null;
  }
}

export async function lockPartners(m: EntityManager, partnerIds: readonly string[]): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext('marketplace-split:' || p) AS k FROM unnest($1::text[]) AS p ORDER BY k) AS locks`, [partnerIds]);
}
