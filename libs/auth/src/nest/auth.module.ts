import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, AuthModuleOptions, PrincipalGuard } from './principal.guard';

@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [{ provide: AUTH_OPTIONS, useValue: options }, { provide: APP_GUARD, useClass: PrincipalGuard }],
      exports: [AUTH_OPTIONS],
    };
  }
}
