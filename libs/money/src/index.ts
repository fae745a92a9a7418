export * from './rounding';
export * from './currency';
export * from './decimal';
export * from './money';
export * from './tax';
