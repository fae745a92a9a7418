// First: starts OpenTelemetry (when OTEL_EXPORTER_OTLP_ENDPOINT is set) before any HTTP module loads.
import '@settle/tracing';
import 'reflect-metadata';
import { IncentiveService } from './incentive-service';

void IncentiveService.main();
