import { BadParameterError } from '@settle/contracts';
import { PrintableInputPipe, nulPathOf } from './printable-input.pipe';

describe('NUL characters in input', () => {
  const pipe = new PrintableInputPipe();

  it('are found wherever they are, by path', () => {
    expect(nulPathOf('a\u0000')).toBe('(value)');
    expect(nulPathOf({ records: [{ id: 'ok' }, { customer_id: 'x\u0000' }] })).toBe('records.1.customer_id');
    expect(nulPathOf({ ['k\u0000']: 1 })).toBe('k\\0');
    expect(nulPathOf({ a: ['fine', 1, null, { b: '客户😀' }] })).toBeUndefined();
  });

  it('refuse a parameter, query or body with 400 CBC.0100 naming it, and pass anything else through', () => {
    expect(() => pipe.transform('ab\u0000', { type: 'param', data: 'customer_id' })).toThrow(new BadParameterError('Invalid parameter customer_id: must not contain a NUL character.'));
    expect(() => pipe.transform({ customer_id: '\u0000' }, { type: 'query' })).toThrow(/Invalid parameter customer_id/);
    const body = { items: [{ name: 'x' }] };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });
});
