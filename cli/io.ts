/** Shared plumbing of the CLI commands: exit codes, output, and the bad-input error. */
import { InvalidArgumentError } from "commander";

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** A user error (bad task file, bad flag): printed as one line, exit code 2. */
export class BadInput extends Error {}

/** Print to stdout with a trailing newline. */
export function write(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** commander argument parsers: reject with a message commander prints, exit code 2. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}
