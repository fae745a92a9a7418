import { Context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

/**
 * One trace from an HTTP request through the outbox row, the Kafka headers (`ce_traceparent`,
 * the CloudEvents distributed-tracing extension) and the BullMQ job envelope to each consumer and
 * job. The W3C `traceparent` string is what travels; these helpers write and read it.
 */
const tracer = () => trace.getTracer('settle');

/** The active span's `traceparent`, to store beside what the work hands on (undefined when not tracing). */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

function parentOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : context.active();
}

export const SpanKinds = { consumer: SpanKind.CONSUMER, producer: SpanKind.PRODUCER, internal: SpanKind.INTERNAL } as const;

/** A span whose parent is `traceparent` (or the active span); the caller ends it. */
export function startSpan(name: string, kind: keyof typeof SpanKinds, traceparent: string | undefined, attributes: Record<string, string | number> = {}): Span {
  return tracer().startSpan(name, { kind: SpanKinds[kind], attributes }, parentOf(traceparent));
}

/** The `traceparent` of a span, for the next hop. */
export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier.traceparent;
}

export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : new Error(String(error)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** Runs `fn` inside a new active span (child of `traceparent`), ended when it settles. */
export async function inSpan<T>(name: string, kind: keyof typeof SpanKinds, traceparent: string | undefined, attributes: Record<string, string | number>, fn: () => Promise<T>): Promise<T> {
  const span = startSpan(name, kind, traceparent, attributes);
  try {
    const result = await context.with(trace.setSpan(parentOf(traceparent), span), fn);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** Runs `fn` with `traceparent` as the active parent (no new span). */
export function withTraceparent<T>(traceparent: string | undefined, fn: () => T): T {
  return traceparent ? context.with(parentOf(traceparent), fn) : fn();
}
