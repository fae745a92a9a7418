import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { BadParameterError } from '@settle/contracts';
import { z } from 'zod';
import { ApiRoute, ValidBody, ValidQuery, apiInputsOf, apiRouteOf } from './api-route';
import { responseProblem, undocumentedFields } from './api-contract.interceptor';

const Query = z.object({ limit: z.coerce.number().int().min(1) }).strict();
const Body = z.object({ name: z.string() }).strict();
const Answer = z.object({ id: z.string(), tags: z.array(z.object({ k: z.string() })) });

class Sample {
  @ApiRoute({ summary: 'sample', response: Answer })
  handle(@ValidQuery(Query) _q: z.infer<typeof Query>, @ValidBody(Body) _b: z.infer<typeof Body>) {
    return undefined;
  }
}

/** Runs the parameter decorator's factory the way Nest does, on a request with this part. */
function resolve(index: number, request: Record<string, unknown>): unknown {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Sample, 'handle') as Record<string, { index: number; factory: (data: unknown, ctx: unknown) => unknown }>;
  const arg = Object.values(args).find((a) => a.index === index)!;
  return arg.factory(undefined, { switchToHttp: () => ({ getRequest: () => request }) });
}

describe('route contract declarations', () => {
  it('record the schemas the document is made from', () => {
    expect(apiInputsOf(Sample.prototype.handle)).toEqual({ query: Query, body: Body });
    expect(apiRouteOf(Sample.prototype.handle)?.summary).toBe('sample');
  });

  it('parse the request part with exactly the declared schema', () => {
    expect(resolve(0, { query: { limit: '5' } })).toEqual({ limit: 5 });
    expect(() => resolve(0, { query: { limit: '0' } })).toThrow(BadParameterError);
    expect(() => resolve(1, { body: { name: 'a', extra: 1 } })).toThrow(/extra|Unrecognized/);
  });

  it('refuse a NUL character with a 400 naming the field, as Nest\'s own decorators do', () => {
    expect(() => resolve(1, { body: { name: 'a\u0000b' } })).toThrow(new BadParameterError('Invalid parameter name: must not contain a NUL character.'));
  });
});

describe('the answer check', () => {
  it('accepts an answer exactly as declared', () => {
    expect(responseProblem(Answer, { id: 'x', tags: [{ k: 'a' }] })).toBeUndefined();
  });

  it('names a field the declaration lacks, nested ones included', () => {
    expect(responseProblem(Answer, { id: 'x', tags: [{ k: 'a', v: 1 }], extra: true })).toBe('undocumented fields tags[0].v, extra');
    expect(undocumentedFields({ a: { b: 1 } }, { a: {} })).toEqual(['a.b']);
  });

  it('names a missing or mistyped field', () => {
    expect(responseProblem(Answer, { tags: [] })).toMatch(/^id: /);
    expect(responseProblem(Answer, { id: 1, tags: [] })).toMatch(/^id: /);
  });

  it('checks what the client receives (dates as ISO text, undefined fields gone)', () => {
    const Timed = z.object({ at: z.iso.datetime(), note: z.string().optional() });
    expect(responseProblem(Timed, { at: new Date('2026-01-01T00:00:00Z'), note: undefined })).toBeUndefined();
  });
});
