export * from './data-source';
export * from './snake-naming.strategy';
export * from './migrations';
export * from './persistence.module';
export * from './tenancy';
export * from './bulk-insert';
