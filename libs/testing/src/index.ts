export * from './infrastructure';
export * from './isolation';
export * from './wait-for';
export * from './kafka-probe';
export * from './service-env';
export * from './service-process';
export * from './api-client';
export * from './notification-inbox';
