import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications stop storing their text: a template id and its non-secret parameters instead,
 * the secret ones sealed until delivery. Existing verification-code texts carried the code
 * readable: their language and validity are kept as parameters and the text is dropped; one still
 * pending cannot be sent any more (its code is gone with the text) and is discarded; the
 * receiver asks for a new code.
 */
export class NotificationTemplates1763769600800 implements MigrationInterface {
  name = 'NotificationTemplates1763769600800';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.notifications ADD COLUMN params jsonb NOT NULL DEFAULT '{}'::jsonb, ADD COLUMN sealed_params text`);
    await queryRunner.query(`
      UPDATE ${s}.notifications SET params = jsonb_build_object(
        'lang', CASE WHEN text LIKE 'Your verification code%' THEN 'en-us' ELSE 'zh-cn' END,
        'minutes', COALESCE(substring(text from '(\\d+) ?(?:minutes|分钟)')::int, 10))
      WHERE template LIKE 'verification-code%'`);
    await queryRunner.query(`UPDATE ${s}.notifications SET status = 'discarded' WHERE status = 'pending'`);
    await queryRunner.query(`ALTER TABLE ${s}.notifications ALTER COLUMN params DROP DEFAULT, DROP COLUMN text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // The texts are not recoverable; the column comes back empty.
    await queryRunner.query(`ALTER TABLE ${s}.notifications ADD COLUMN text text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE ${s}.notifications ALTER COLUMN text DROP DEFAULT, DROP COLUMN sealed_params, DROP COLUMN params`);
  }
}
