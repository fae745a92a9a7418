import { Command } from 'commander';
import { CliError } from './api-client';
import { customerCommand } from './commands/customer.command';
import { incentiveCommand } from './commands/incentive.command';
import { operatorTokenCommand } from './commands/operator-token.command';
import { partnerCommand } from './commands/partner.command';
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
  .addCommand(operatorTokenCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof CliError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`settle: ${message}\n`);
  process.exit(1);
});
