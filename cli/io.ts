/** Shared plumbing of the CLI commands: exit codes, output, and the bad-input error. */
import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_STEP_BUDGET } from "../rnn/search.js";

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

/** `--step-budget <steps>` of `mips train` and `mips synth`: the search's deterministic limit; 0 = none. */
export function stepBudgetOption(): Option {
  return new Option("--step-budget <steps>", "training steps the architecture search may spend (0 = no limit)").argParser(nonNegativeInt).default(DEFAULT_STEP_BUDGET);
}

/** The search option for a `--step-budget` value (0: Infinity, no limit). */
export function stepBudgetSetting(steps: number): { stepBudget: number } {
  return { stepBudget: steps > 0 ? steps : Infinity };
}
