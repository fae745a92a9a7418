import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

let sdk: NodeSDK | undefined;

/** Whether spans are recorded and exported (an OTLP endpoint was configured at start). */
export function tracingActive(): boolean {
  return sdk !== undefined;
}

/** `apps/billing-service/src/main.ts` → `billing-service`. */
export function serviceNameOf(entry = process.argv[1] ?? ''): string {
  return /apps[\\/]([^\\/]+)[\\/]src[\\/]main\.ts$/.exec(entry)?.[1] ?? 'settle';
}

/**
 * Starts OpenTelemetry when an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, the standard variables; OTLP over HTTP/JSON). Without one
 * nothing is started and the propagation helpers are no-ops. Must run before the HTTP modules
 * load, which is why every app's `main.ts` imports `@settle/tracing` first.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk) return true;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false;
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceNameOf(),
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not requests anyone traces.
        ignoreIncomingRequestHook: (req) => /^\/(health\/|metrics)/.test(req.url ?? ''),
      }),
    ],
  });
  sdk.start();
  // Flush what is buffered when the service is stopped (its own shutdown runs beside this).
  process.once('SIGTERM', () => void sdk?.shutdown().catch(() => undefined));
  return true;
}
