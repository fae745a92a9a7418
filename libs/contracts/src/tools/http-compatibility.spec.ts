import type { OpenApiDocument } from '../http/openapi';
import { addedOperations, breakingApiChanges, resolveRefs } from './http-compatibility';

const bill = { type: 'object', properties: { bill_id: { type: 'string' }, amount: { type: 'string' } }, required: ['bill_id', 'amount'] };

function doc(operation: Record<string, unknown>, schemas: Record<string, unknown> = { Bill: bill }): OpenApiDocument {
  return { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/v2/bills/{bill_id}': { get: operation } }, components: { schemas } };
}

const base = {
  parameters: [
    { in: 'path', name: 'bill_id', required: true, schema: { type: 'string' } },
    { in: 'query', name: 'currency', required: false, schema: { type: 'string', enum: ['CNY', 'USD'] } },
  ],
  responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Bill' } } } } },
};

describe('HTTP compatibility against the baseline document', () => {
  it('accepts the same document, an added optional field, an added optional parameter and a new operation', () => {
    expect(breakingApiChanges(doc(base), doc(base))).toEqual([]);
    const grown = doc(
      { ...base, parameters: [...base.parameters, { in: 'query', name: 'limit', required: false, schema: { type: 'integer' } }] },
      { Bill: { ...bill, properties: { ...bill.properties, memo: { type: 'string' } } } },
    );
    expect(breakingApiChanges(doc(base), grown)).toEqual([]);
    const more = { ...grown, paths: { ...grown.paths, '/v2/bills': { get: base } } };
    expect(breakingApiChanges(doc(base), more)).toEqual([]);
    expect(addedOperations(doc(base), more)).toEqual(['GET /v2/bills']);
  });

  it('refuses a removed operation', () => {
    const gone: OpenApiDocument = { ...doc(base), paths: {} };
    expect(breakingApiChanges(doc(base), gone)).toEqual([expect.stringContaining('GET /v2/bills/{bill_id}: operation removed')]);
  });

  it('refuses a removed or retyped answer field, through $ref', () => {
    const removed = doc(base, { Bill: { ...bill, properties: { bill_id: { type: 'string' } }, required: ['bill_id'] } });
    expect(breakingApiChanges(doc(base), removed)).toEqual(['GET /v2/bills/{bill_id} answer.amount: property removed']);
    const retyped = doc(base, { Bill: { ...bill, properties: { ...bill.properties, amount: { type: 'number' } } } });
    expect(breakingApiChanges(doc(base), retyped)).toEqual(['GET /v2/bills/{bill_id} answer.amount: type changed from string to number']);
  });

  it('refuses a new required answer field (fields are added optional)', () => {
    const added = doc(base, { Bill: { ...bill, properties: { ...bill.properties, memo: { type: 'string' } }, required: [...bill.required, 'memo'] } });
    expect(breakingApiChanges(doc(base), added)).toEqual([expect.stringContaining('answer.memo: added as a required property')]);
  });

  it('refuses a parameter removed, made required, newly required, or with an enum value removed', () => {
    const [path, currency] = base.parameters;
    expect(breakingApiChanges(doc(base), doc({ ...base, parameters: [path] }))).toEqual(['GET /v2/bills/{bill_id}: query parameter currency removed']);
    expect(breakingApiChanges(doc(base), doc({ ...base, parameters: [path, { ...currency, required: true }] }))).toEqual(['GET /v2/bills/{bill_id}: query parameter currency became required']);
    expect(breakingApiChanges(doc(base), doc({ ...base, parameters: [...base.parameters, { in: 'query', name: 'cycle', required: true, schema: { type: 'string' } }] }))).toEqual([
      'GET /v2/bills/{bill_id}: new required query parameter cycle',
    ]);
    expect(breakingApiChanges(doc(base), doc({ ...base, parameters: [path, { ...currency, schema: { type: 'string', enum: ['CNY'] } }] }))).toEqual([
      'GET /v2/bills/{bill_id} query parameter currency: enum value "USD" removed',
    ]);
  });

  it('refuses a new required body field and a changed success status', () => {
    const body = (properties: Record<string, unknown>, required: string[]) => ({ requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties, required } } } } });
    const before = doc({ ...base, ...body({ note: { type: 'string' } }, []) });
    expect(breakingApiChanges(before, doc({ ...base, ...body({ note: { type: 'string' }, reason: { type: 'string' } }, ['reason']) }))).toEqual([
      expect.stringContaining('request body.reason: added as a required property'),
    ]);
    expect(breakingApiChanges(doc(base), doc({ ...base, responses: { '201': base.responses['200'] } }))).toEqual(['GET /v2/bills/{bill_id}: success status changed from 200 to 201']);
  });

  it('resolves references and stops at a cycle', () => {
    const cyclic = doc(base, { Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } });
    expect(resolveRefs({ $ref: '#/components/schemas/Node' }, cyclic)).toEqual({ type: 'object', properties: { next: {} } });
  });
});
