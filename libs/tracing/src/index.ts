import { startTracing } from './start-tracing';

// Imported first by every app's main.ts, so the SDK patches `http` before anything uses it.
startTracing();

export * from './propagation';
export { serviceNameOf, startTracing, tracingActive } from './start-tracing';
