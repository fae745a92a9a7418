import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { schemaOf } from './data-source';
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

/**
 * Who may see a row of a partner table: the partner its `column` names, and the partners named by
 * `alsoVisibleTo` (a tier-2 reseller's parent on rows it issued, e.g. `issuer_partner_id`).
 */
export interface PartnerRowSecurity {
  table: string;
  column?: string;
  alsoVisibleTo?: string[];
}

export const PARTNER_POLICY = 'partner_scope';

/** The policy's predicate: system scope sees all; partner scope its own rows; no scope nothing. */
export function partnerPolicySql(spec: PartnerRowSecurity): string {
  const columns = [spec.column ?? 'partner_id', ...(spec.alsoVisibleTo ?? [])].map((c) => `"${c.replace(/"/g, '""')}"`);
  return `(current_setting('${SCOPE_SETTING}', true) = 'system'
    OR (current_setting('${SCOPE_SETTING}', true) = 'partner' AND current_setting('${TENANT_SETTING}', true) IN (${columns.join(', ')})))`;
}

/**
 * Puts a partner table under row-level security, for its owner too (FORCE): a migration calls it
 * for every table that holds partner data. Reads and writes both pass the same predicate, so a
 * partner-scoped transaction can neither see nor write another partner's rows.
 */
export async function enablePartnerRowSecurity(queryRunner: QueryRunner, spec: PartnerRowSecurity): Promise<void> {
  const table = `${schemaOf(queryRunner)}."${spec.table.replace(/"/g, '""')}"`;
  const predicate = partnerPolicySql(spec);
  await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`CREATE POLICY ${PARTNER_POLICY} ON ${table} FOR ALL USING ${predicate} WITH CHECK ${predicate}`);
}

export async function disablePartnerRowSecurity(queryRunner: QueryRunner, table: string): Promise<void> {
  const t = `${schemaOf(queryRunner)}."${table.replace(/"/g, '""')}"`;
  await queryRunner.query(`DROP POLICY IF EXISTS ${PARTNER_POLICY} ON ${t}`);
  await queryRunner.query(`ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`);
}

/**
 * Tables of a schema that have a partner column (`partner_id` unless `columns` names others, such
 * as `issuer_partner_id` on rows a partner issued), and whether each is under row-level security
 * (forced).
 */
export async function partnerTablesOf(manager: Pick<EntityManager, 'query'>, schema: string, columns: readonly string[] = ['partner_id']): Promise<Array<{ table: string; secured: boolean }>> {
  const rows: Array<{ table: string; secured: boolean }> = await manager.query(
    `SELECT c.relname AS table, (c.relrowsecurity AND c.relforcerowsecurity) AS secured
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = ANY($2::text[]) AND NOT a.attisdropped)
      ORDER BY c.relname`,
    [schema, [...columns]],
  );
  return rows;
}
