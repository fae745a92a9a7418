export * from './backend-service';
export * from './route-table';
