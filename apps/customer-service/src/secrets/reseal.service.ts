import { SecretBox } from '@settle/auth';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setSystemScope } from '@settle/persistence';
import { LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { DataSource } from 'typeorm';
import { CustomerServiceConfig, secretBoxOf } from '../config';

/**
 * Every column that holds sealed secrets. Encryption at rest is this feature's concern, so it
 * names the columns it re-seals here rather than asking each owner: a new sealed column joins
 * this list, or rotation leaves it under the old key.
 */
export const SEALED_COLUMNS = [
  { table: 'access_keys', id: 'access_key', column: 'secret_ciphertext' },
  { table: 'notifications', id: 'id', column: 'sealed_params' },
] as const;

export interface SealedCount {
  table: string;
  key_id: string;
  count: number;
}

export interface ResealResult {
  active_key_id: string;
  resealed: number;
  /** Values no configured key opens (their key left the ring too early): left as they are. */
  unreadable: Array<{ table: string; id: string; reason: string }>;
  /** After the run: sealed values per table and key. */
  sealed: SealedCount[];
}

/** `v2:<kid>:…` names its key; the unversioned format is the legacy key's. */
const KEY_ID_SQL = (column: string) => `CASE WHEN ${column} LIKE 'v2:%' THEN split_part(${column}, ':', 2) ELSE 'legacy' END`;

@Injectable()
export class ResealService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: CustomerServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.box = secretBoxOf(config);
  }

  get activeKeyId(): string {
    return this.box.activeKeyId;
  }

  get keyIds(): string[] {
    return this.box.keyIds;
  }

  async sealedCounts(): Promise<SealedCount[]> {
    const counts: SealedCount[] = [];
    for (const c of SEALED_COLUMNS) {
      const rows: Array<{ key_id: string; count: number }> = await this.dataSource.transaction(async (m) => {
        await setSystemScope(m);
        return m.query(`SELECT ${KEY_ID_SQL(c.column)} AS key_id, count(*)::int AS count FROM ${c.table} WHERE ${c.column} IS NOT NULL GROUP BY 1 ORDER BY 1`);
      });
      counts.push(...rows.map((r) => ({ table: c.table, key_id: r.key_id, count: r.count })));
    }
    return counts;
  }

  /**
   * Seals every secret not yet under the active key again under it, in batches of short
   * transactions: each value is opened with the key that sealed it and written back only if
   * nobody changed it meanwhile, so the service keeps answering (every instance configured with
   * both keys reads both formats) and running it twice, or concurrently, is harmless.
   */
  async reseal(batchSize = 200): Promise<ResealResult> {
    const active = this.box.activeKeyId;
    const unreadable: ResealResult['unreadable'] = [];
    let resealed = 0;
    for (const c of SEALED_COLUMNS) {
      let after = '';
      for (;;) {
        const batch = await this.dataSource.transaction(async (m) => {
          await setSystemScope(m);
          const rows: Array<{ id: string; sealed: string }> = await m.query(
            `SELECT ${c.id} AS id, ${c.column} AS sealed FROM ${c.table}
              WHERE ${c.column} IS NOT NULL AND ${c.column} NOT LIKE $1 AND ${c.id} > $2
              ORDER BY ${c.id} LIMIT $3 FOR UPDATE SKIP LOCKED`,
            [`v2:${active}:%`, after, batchSize],
          );
          for (const row of rows) {
            let plaintext: string;
            try {
              plaintext = this.box.open(row.sealed);
            } catch (error) {
              unreadable.push({ table: c.table, id: row.id, reason: (error as Error).message });
              continue;
            }
            const [, updated] = await m.query(`UPDATE ${c.table} SET ${c.column} = $1 WHERE ${c.id} = $2 AND ${c.column} = $3`, [this.box.seal(plaintext), row.id, row.sealed]);
            resealed += Number(updated ?? 0);
          }
          return rows;
        });
        if (batch.length === 0) break;
        after = batch[batch.length - 1].id;
      }
    }
    const sealed = await this.sealedCounts();
    this.logger.info({ active_key_id: active, resealed, unreadable: unreadable.length }, 'secrets re-sealed under the active key');
    return { active_key_id: active, resealed, unreadable, sealed };
  }
}
