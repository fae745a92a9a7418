import { createHmac } from 'node:crypto';
import { Client } from 'pg';

/**
 * The role services connect as. It owns nothing, so PostgreSQL's row-level security applies to
 * every query it runs (a table's owner, and a superuser, would pass it by); migrations run as the
 * owner of the schema (`DATABASE_URL`'s user), which grants this role what a service needs.
 */
export const APP_ROLE = 'settle_app';

/**
 * The app role's password, derived from the owner's (so a deployment configures one secret): none
 * when the owner has none (local trust authentication), else an HMAC of the owner's password.
 */
function appPassword(ownerUrl: URL): string | undefined {
  const owner = decodeURIComponent(ownerUrl.password);
  return owner ? createHmac('sha256', owner).update(APP_ROLE).digest('base64url') : undefined;
}

/** The URL a service connects with at run time: the owner's, as the app role. */
export function appDatabaseUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  const password = appPassword(url);
  url.username = APP_ROLE;
  url.password = password ? encodeURIComponent(password) : '';
  return url.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates the app role if missing (idempotent, safe when two migrations race on it) and grants it
 * the schema's tables and sequences, now and for tables later migrations create. Runs as the owner
 * after every migration run.
 */
export async function grantAppRole(ownerUrl: string, schema: string): Promise<void> {
  const password = appPassword(new URL(ownerUrl));
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    // Roles are cluster-wide: parallel migrations (tests, several services) take turns here.
    await client.query(`SELECT pg_advisory_lock(hashtext('settle.app-role'))`);
    const role = quoteIdent(APP_ROLE);
    const withPassword = password ? ` PASSWORD '${password}'` : '';
    await client.query(`DO $$ BEGIN
        CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT${withPassword};
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    if (password) await client.query(`ALTER ROLE ${role} PASSWORD '${password}'`);
    const s = quoteIdent(schema);
    await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`);
  } finally {
    await client.end();
  }
}
