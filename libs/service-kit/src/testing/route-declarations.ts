import { testSecrets } from '@settle/testing';
import { RouteDeclaration } from '../route-table';

/** What `describeRouteDeclarations` needs of a service made by `defineBackendService`. */
export interface RoutedService {
  definition: { name: string };
  routes(env: NodeJS.ProcessEnv): RouteDeclaration[];
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
      expect(routes.filter((r) => r.access === 'public').map((r) => r.path).filter((p) => !/^\/(health\/(live|ready)|metrics)$/.test(p))).toEqual([]);
    });

    it('name a permission on every partner route but the listed any-member ones', () => {
      const anyMember = routes.filter((r) => r.access === 'partner' && r.permissions.length === 0).map(key);
      expect(anyMember.sort()).toEqual([...(options.anyMemberRoutes ?? [])].sort());
    });
  });
}
