import { DataSource, EntityManager } from 'typeorm';
export { APP_ROLE, appDatabaseUrl, grantAppRole } from './app-role';

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

/**
 * Runs a partner-facing use case in one transaction that PostgreSQL holds to the partner's rows
 * (row-level security), whatever the queries inside say.
 */
export function inPartnerScope<T>(dataSource: DataSource, partnerId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await setPartnerScope(manager, partnerId);
    return work(manager);
  });
}

/** Runs an operator, job or consumer use case in one transaction that may see every partner's rows. */
export function inSystemScope<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await setSystemScope(manager);
    return work(manager);
  });
}
