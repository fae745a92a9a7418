import { once } from 'node:events';
import { Writable } from 'node:stream';
import { Client } from 'pg';

/** What the pg driver hands a submittable query (the parts COPY FROM STDIN uses). */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: Writable;
}

/**
 * `COPY … FROM STDIN` with the pg driver alone (pg-copy-streams is not a dependency): a
 * submittable query, the driver's extension point, that answers the server's CopyInResponse by
 * sending the chunks and CopyDone. Resolves with the number of rows COPY reports.
 */
export function copyFromStdin(client: Client, sql: string, chunks: Iterable<Buffer>): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let failure: Error | undefined;
    const submittable = {
      submit(connection: PgConnection) {
        connection.query(sql);
      },
      async handleCopyInResponse(connection: PgConnection) {
        try {
          for (const chunk of chunks) {
            connection.sendCopyFromChunk(chunk);
            // Backpressure: a million rows must not pile up in this process's socket buffer.
            if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
          }
          connection.endCopyFrom();
        } catch (error) {
          connection.sendCopyFail(error instanceof Error ? error.message : String(error));
        }
      },
      handleCommandComplete(message: { text?: string }) {
        const match = /^COPY (\d+)/.exec(message.text ?? '');
        if (match) rows = Number(match[1]);
      },
      handleError(error: Error) {
        failure = error;
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve(rows);
      },
      handleEmptyQuery() {},
      handleRowDescription() {},
      handleDataRow() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    client.query(submittable as never);
  });
}

/** One value of COPY's text format: \N for null; backslash, tab and line breaks escaped. */
export function copyText(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function copyLine(values: (string | number | null)[]): string {
  return `${values.map(copyText).join('\t')}\n`;
}
