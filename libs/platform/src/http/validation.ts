import { BadParameterError } from '@settle/contracts';
import { z, ZodError } from 'zod';

export function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid request.';
  const field = issue.path.join('.');
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  return field ? `Invalid parameter ${field}: ${message}.` : `Invalid request: ${message}.`;
}

/** Parses untrusted input against a schema; a mismatch is a 400 CBC.0100 that names the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new BadParameterError(describeZodError(result.error));
  return result.data;
}
