import { Command } from 'commander';
import { CliError } from './api-client';
import { auditCommand } from './commands/audit.command';
import { billsCommand } from './commands/bills.command';
import { consumersCommand } from './commands/consumers.command';
import { customerCommand } from './commands/customer.command';
import { deadLettersCommand } from './commands/dead-letters.command';
import { incentiveCommand } from './commands/incentive.command';
import { operatorTokenCommand } from './commands/operator-token.command';
import { outboxCommand } from './commands/outbox.command';
import { partnerCommand } from './commands/partner.command';
import { queuesCommand } from './commands/queues.command';
import { secretsCommand } from './commands/secrets.command';
import { topicsCommand } from './commands/topics.command';

const program = new Command('settle')
  .description('Settle operator CLI')
  .showHelpAfterError()
  .addCommand(partnerCommand())
  .addCommand(customerCommand())
  .addCommand(incentiveCommand())
  .addCommand(topicsCommand())
  .addCommand(secretsCommand())
  .addCommand(operatorTokenCommand())
  .addCommand(billsCommand())
  .addCommand(queuesCommand())
  .addCommand(deadLettersCommand())
  .addCommand(consumersCommand())
  .addCommand(outboxCommand())
  .addCommand(auditCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof CliError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`settle: ${message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
});
