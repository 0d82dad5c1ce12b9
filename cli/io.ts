/** Shared plumbing of the CLI commands: exit codes, output, and the bad-input error. */
import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_TRAINING_BUDGET } from "../rnn/search.js";

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

/** `--train-budget <seconds>` of `mips train` and `mips synth`: the search's deterministic limit; 0 = none. */
export function trainingBudgetOption(): Option {
  return new Option("--train-budget <seconds>", "training work the architecture search may do, in reference seconds: steps × (330 µs per layer after the first + 1.1 µs per parameter), the same on any machine (0 = no limit)")
    .argParser(nonNegativeNumber)
    .default(DEFAULT_TRAINING_BUDGET);
}

/** The search option for a `--train-budget` value (0: Infinity, no limit). */
export function trainingBudgetSetting(seconds: number): { trainingBudget: number } {
  return { trainingBudget: seconds > 0 ? seconds : Infinity };
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a non-negative number");
  return n;
}
