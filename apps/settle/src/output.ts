/** `--json` prints one JSON document; otherwise aligned lines for a person. */
export function print(value: unknown, json: boolean | undefined, lines: () => string[]): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${lines().join('\n')}\n`);
}
