export * from './migrations';
export * from './service-stack';
export * from './route-declarations';
export * from './malformed-input';
