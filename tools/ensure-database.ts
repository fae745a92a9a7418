// Creates the database named by a PostgreSQL URL if it does not exist.
import { ensureDatabase } from '@settle/testing';

ensureDatabase(process.argv[2]).catch((error: Error) => {
  process.stderr.write(`cannot prepare database: ${error.message}\n`);
  process.exit(1);
});
