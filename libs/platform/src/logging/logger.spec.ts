import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('test', 'info', stream) };
}

describe('logged errors', () => {
  it('keep message, code and constraint but not the data a database error quotes', () => {
    const { lines, logger } = capture();
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "customers_mobile_key"'), {
      code: '23505',
      constraint: 'customers_mobile_key',
      detail: 'Key (mobile)=(13912345678) already exists.',
    });
    const error = Object.assign(new Error(driverError.message), { query: 'INSERT INTO customers VALUES ($1, $2)', parameters: ['13912345678', 'a@example.com'], driverError, code: '23505' });
    logger.error({ err: error }, 'request failed');
    const line = lines.join('');
    expect(line).not.toContain('13912345678');
    expect(line).not.toContain('a@example.com');
    expect(JSON.parse(line).err).toMatchObject({ message: driverError.message, code: '23505', driverError: { constraint: 'customers_mobile_key' } });
  });

  it('redact personal fields by name', () => {
    const { lines, logger } = capture();
    logger.info({ mobile: '13912345678', member: { email: 'a@example.com' }, secret_key: 's3cr3t' }, 'x');
    expect(lines.join('')).not.toMatch(/13912345678|a@example\.com|s3cr3t/);
  });
});
