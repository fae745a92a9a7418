export * from './migrations';
export * from './service-stack';
