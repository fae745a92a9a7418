// First: starts OpenTelemetry (when OTEL_EXPORTER_OTLP_ENDPOINT is set) before any HTTP module loads.
import '@settle/tracing';
import 'reflect-metadata';
import { main } from './gateway';

void main();
