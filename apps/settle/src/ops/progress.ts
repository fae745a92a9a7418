import { SingleBar } from 'cli-progress';

export interface Progress {
  tick(n?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long operations (replays, bulk retries) when a person watches a
 * terminal; silent when stderr is a pipe, so `--json` output and logs stay clean.
 */
export function progress(label: string, total: number): Progress {
  if (!process.stderr.isTTY || total < 2) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta}s`, stream: process.stderr, hideCursor: true });
  bar.start(total, 0);
  return { tick: (n = 1) => bar.increment(n), stop: () => bar.stop() };
}
