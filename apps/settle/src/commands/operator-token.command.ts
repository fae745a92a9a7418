import { issueOperatorToken } from '@settle/auth';
import { Command } from 'commander';
import { CliError } from '../api-client';
import { settings } from '../settings';

export function operatorTokenCommand(): Command {
  return new Command('operator-token')
    .description('Mint an operator token (needs OPERATOR_TOKEN_SECRET)')
    .option('--subject <name>', 'who the token is for', process.env.USER ?? 'operator')
    .option('--role <role...>', 'roles', ['admin'])
    .option('--ttl <seconds>', 'lifetime in seconds', '3600')
    .action((options: { subject: string; role: string[]; ttl: string }) => {
      const secret = settings().OPERATOR_TOKEN_SECRET;
      if (!secret) throw new CliError('OPERATOR_TOKEN_SECRET is not set.');
      const ttlSeconds = Number.parseInt(options.ttl, 10);
      if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new CliError('--ttl must be a positive number of seconds.');
      process.stdout.write(`${issueOperatorToken({ subject: options.subject, roles: options.role, ttlSeconds }, secret)}\n`);
    });
}
