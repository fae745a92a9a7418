import { DynamicModule, ForwardReference, RequestMethod, Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, MODULE_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { IS_PUBLIC, Permission, REQUIRES, Requirement } from '@settle/auth';
import { ApiInputs, ApiRouteSpec, apiInputsOf, apiRouteOf } from '@settle/platform';

/** One HTTP route of a service and who it says may call it. */
export interface RouteDeclaration {
  method: string;
  /** As Nest matches it, e.g. `/v2/bills/statements/:statement_id`. */
  path: string;
  /** `Controller.handler`, to find it in the code. */
  handler: string;
  /**
   * `public` (no gateway proof), `operator`, `partner` (with `permissions`; none means any member),
   * `service` (platform services, with `services`), or `undeclared`: the guard refuses such a route, and the route walk fails on it.
   */
  access: 'public' | 'operator' | 'partner' | 'service' | 'undeclared';
  permissions: Permission[];
  operatorRoles: string[];
  services: string[];
  /** The success status: `@HttpCode`, else Nest's default (201 for POST, 200 otherwise). */
  status: number;
  /** `@ApiRoute`: summary, answer, domain errors; undefined when the route declares none. */
  spec?: ApiRouteSpec;
  /** The schemas `@ValidQuery`/`@ValidParams`/`@ValidBody` parse with. */
  inputs: ApiInputs;
  /** Inputs read with Nest's own `@Query()`/`@Param()`/`@Body()`/`@Headers()`: unvalidated and undocumented, so the route walk refuses them. */
  rawInputs: string[];
}

const RAW_INPUTS: Partial<Record<number, string>> = {
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'params',
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.RAW_BODY]: 'raw body',
};

function rawInputsOf(controller: Type, name: string): string[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) as Record<string, unknown> | undefined) ?? {};
  return Object.keys(args)
    .map((key) => RAW_INPUTS[Number(key.split(':')[0])])
    .filter((part): part is string => part !== undefined)
    .sort();
}

type ModuleRef = Type | DynamicModule | ForwardReference | Promise<DynamicModule>;

function isDynamic(m: ModuleRef): m is DynamicModule {
  return typeof m === 'object' && m !== null && 'module' in m;
}

function join(...parts: string[]): string {
  const path = parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return `/${path}`;
}

/**
 * Every route of a module tree, read from Nest's metadata without starting anything (no
 * connections): the controllers of the module, of its imports, recursively.
 */
export function routesOf(root: ModuleRef): RouteDeclaration[] {
  const seen = new Set<unknown>();
  const controllers = new Set<Type>();
  const visit = (ref: ModuleRef | undefined) => {
    if (!ref || ref instanceof Promise || seen.has(ref)) return;
    seen.add(ref);
    if ('forwardRef' in (ref as ForwardReference)) return visit((ref as ForwardReference).forwardRef());
    const type = isDynamic(ref) ? ref.module : (ref as Type);
    const fromType = (key: string): unknown[] => (Reflect.getMetadata(key, type) as unknown[] | undefined) ?? [];
    const own = isDynamic(ref) ? { controllers: ref.controllers ?? [], imports: ref.imports ?? [] } : { controllers: [], imports: [] };
    for (const c of [...fromType(MODULE_METADATA.CONTROLLERS), ...own.controllers] as Type[]) controllers.add(c);
    for (const i of [...fromType(MODULE_METADATA.IMPORTS), ...own.imports] as ModuleRef[]) visit(i);
  };
  visit(root);

  const routes: RouteDeclaration[] = [];
  for (const controller of controllers) {
    const bases = [Reflect.getMetadata(PATH_METADATA, controller) ?? '/'].flat() as string[];
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const paths = [Reflect.getMetadata(PATH_METADATA, handler) ?? '/'].flat() as string[];
      const isPublic = (Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller)) === true;
      const requirement = (Reflect.getMetadata(REQUIRES, handler) ?? Reflect.getMetadata(REQUIRES, controller)) as Requirement | undefined;
      for (const base of bases) {
        for (const path of paths) {
          routes.push({
            method: RequestMethod[method],
            path: join(base, path),
            handler: `${controller.name}.${name}`,
            access: isPublic ? 'public' : (requirement?.kind ?? 'undeclared'),
            permissions: requirement?.kind === 'partner' ? requirement.permissions : [],
            operatorRoles: requirement?.kind === 'operator' ? requirement.roles : [],
            services: requirement?.kind === 'service' ? requirement.services : [],
            status: (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200),
            spec: apiRouteOf(handler as object),
            inputs: apiInputsOf(handler as object),
            rawInputs: rawInputsOf(controller, name),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
