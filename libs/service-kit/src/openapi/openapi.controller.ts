import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import { Public } from '@settle/auth';
import { OpenApiDocument } from '@settle/contracts';

/**
 * `GET /openapi.json`: the service's own OpenAPI document (its partner and operator routes), made
 * once from its routes' declarations. Open like health: the gateway composes the services'
 * documents into the one it serves, and nothing in it is secret.
 */
export function openApiModule(document: () => OpenApiDocument): DynamicModule {
  @Controller()
  class ServiceOpenApiController {
    private cached?: OpenApiDocument;

    @Public()
    @Get('openapi.json')
    document(): OpenApiDocument {
      return (this.cached ??= document());
    }
  }

  @Module({ controllers: [ServiceOpenApiController] })
  class ServiceOpenApiModule {}

  return { module: ServiceOpenApiModule };
}
