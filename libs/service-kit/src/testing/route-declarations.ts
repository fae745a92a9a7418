import { testSecrets } from '@settle/testing';
import { OpenApiDocument } from '@settle/contracts';
import { RouteDeclaration } from '../route-table';

/** What `describeRouteDeclarations` needs of a service made by `defineBackendService`. */
export interface RoutedService {
  definition: { name: string };
  routes(env: NodeJS.ProcessEnv): RouteDeclaration[];
  openapi(env: NodeJS.ProcessEnv): OpenApiDocument;
}

/** Configuration that validates without any infrastructure: reading routes connects to nothing. */
export function offlineEnv(): NodeJS.ProcessEnv {
  return { DATABASE_URL: 'postgres://settle@127.0.0.1:1/offline', REDIS_URL: 'redis://127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1', LOG_LEVEL: 'silent', ...testSecrets() };
}

const key = (r: Pick<RouteDeclaration, 'method' | 'path'>) => `${r.method} ${r.path}`;

/**
 * The route walk every backend service runs (a unit test: nothing starts). Every route declares
 * who may call it: partner routes name a permission of the permission table, operator routes the
 * operator guard, and only health and metrics are public. The few partner routes open to every
 * member (`@RequirePartner()`) are listed here by the service, so a new one is a visible decision.
 */
export function describeRouteDeclarations(service: RoutedService, options: { anyMemberRoutes?: string[] } = {}): void {
  describe(`${service.definition.name} routes`, () => {
    const routes = service.routes(offlineEnv());

    it('each declare who may call them (a permission, the operator guard, or public)', () => {
      expect(routes.filter((r) => r.access === 'undeclared').map(key)).toEqual([]);
    });

    it('are public only for health and metrics', () => {
      expect(routes.filter((r) => r.access === 'public').map((r) => r.path).filter((p) => !/^\/(health\/(live|ready)|metrics|openapi\.json)$/.test(p))).toEqual([]);
    });

    it('name a permission on every partner route but the listed any-member ones', () => {
      const anyMember = routes.filter((r) => r.access === 'partner' && r.permissions.length === 0).map(key);
      expect(anyMember.sort()).toEqual([...(options.anyMemberRoutes ?? [])].sort());
    });

    const api = routes.filter((r) => r.access === 'partner' || r.access === 'operator');

    it('declare their contract (@ApiRoute) on every partner and operator route', () => {
      expect(api.filter((r) => !r.spec).map(key)).toEqual([]);
    });

    it('read input only through schemas the document is made from (@ValidQuery/@ValidParams/@ValidBody, not @Query/@Param/@Body)', () => {
      expect(routes.filter((r) => r.rawInputs.length).map((r) => `${key(r)} reads ${r.rawInputs.join(', ')} unvalidated`)).toEqual([]);
    });

    it('declare a schema for every path parameter', () => {
      const missing = api.flatMap((r) => {
        const names = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
        const shape = (r.inputs.params as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
        return names.filter((n) => !(n in shape)).map((n) => `${key(r)}: ${n}`);
      });
      expect(missing).toEqual([]);
    });

    it('make an OpenAPI document (every schema representable)', () => {
      const document = service.openapi(offlineEnv());
      expect(Object.keys(document.paths ?? {}).length).toBeGreaterThan(0);
    });
  });
}
