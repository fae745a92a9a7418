export * from './backend-service';
export * from './route-table';
export * from './openapi/service-openapi';
