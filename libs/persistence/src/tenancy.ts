import { EntityManager } from 'typeorm';

/**
 * The tenant a transaction works for, as PostgreSQL sees it (row-level security policies read
 * these settings). Set per transaction (`set_config(..., true)`), so a pooled connection never
 * carries one caller's scope into the next transaction.
 *
 * - partner scope: only that partner's rows are visible;
 * - system scope: consumers, relays, job workers and operator use cases, which act for the
 *   platform across partners, say so explicitly.
 * A transaction that sets neither sees no partner rows.
 */
export const TENANT_SETTING = 'settle.partner_id';
export const SCOPE_SETTING = 'settle.scope';

export async function setPartnerScope(manager: EntityManager, partnerId: string): Promise<void> {
  await manager.query(`SELECT set_config($1, $2, true), set_config($3, 'partner', true)`, [TENANT_SETTING, partnerId, SCOPE_SETTING]);
}

export async function setSystemScope(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT set_config($1, '', true), set_config($2, 'system', true)`, [TENANT_SETTING, SCOPE_SETTING]);
}
