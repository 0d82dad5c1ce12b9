/**
 * Drawing examples for a benchmark task: inputs from the task's distribution, outputs from its
 * reference. All randomness comes from one seeded `Random`, so the same arguments always give the
 * same examples.
 */
import { Random } from "../common/random.js";
import type { Example, Sequence, Step } from "../task/types.js";
import type { BenchmarkTask } from "./tasks.js";

export interface SampleOptions {
  /** How many examples (an integer >= 0). */
  readonly n: number;
  readonly seed: number;
  /** Sequence length (an integer >= 1); defaults to the task's `seqLen`. */
  readonly length?: number | undefined;
}

/**
 * `n` examples of `task`, with y = task.reference(x). For "iid-unique" tasks the inputs are
 * distinct; if fewer than `n` distinct sequences exist at this length, all of them are returned.
 * Throws a RangeError for a negative or fractional `n` or `length` (callers validate user input first).
 */
export function sampleExamples(task: BenchmarkTask, options: SampleOptions): Example[] {
  const { n, seed } = options;
  const length = options.length ?? task.seqLen;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sampleExamples: n must be an integer >= 0, got ${n}`);
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`sampleExamples: length must be an integer >= 1, got ${length}`);
  }
  const random = new Random(seed);
  const inputs = drawInputs(task, random, n, length);
  return inputs.map((x) => ({ x, y: task.reference(x) }));
}

function drawInputs(task: BenchmarkTask, random: Random, n: number, length: number): Sequence[] {
  switch (task.sampling) {
    case "iid":
      return Array.from({ length: n }, () => drawIid(task, random, length));
    case "palindrome-prefix":
      return Array.from({ length: n }, () => drawPalindromePrefix(task, random, length));
    case "iid-unique":
      return drawUnique(task, random, n, length);
  }
}

function drawStep(task: BenchmarkTask, random: Random): Step {
  return Array.from({ length: task.inputDim }, () => random.int(task.input.min, task.input.max));
}

function drawIid(task: BenchmarkTask, random: Random, length: number): Sequence {
  return Array.from({ length }, () => drawStep(task, random));
}

/**
 * Bit_Palindrome's distribution: L uniform in {2..length}, the first L steps a random palindrome
 * (the first ceil(L/2) drawn, the rest mirrored), the remaining steps iid. A length-1 sequence has
 * no room for L >= 2, so it is a single iid step.
 */
function drawPalindromePrefix(task: BenchmarkTask, random: Random, length: number): Sequence {
  if (length < 2) return drawIid(task, random, length);
  const palindromeLength = random.int(2, length);
  const steps: Step[] = [];
  for (let t = 0; t < Math.ceil(palindromeLength / 2); t++) steps.push(drawStep(task, random));
  for (let t = steps.length; t < palindromeLength; t++) steps.push(steps[palindromeLength - 1 - t]!);
  for (let t = palindromeLength; t < length; t++) steps.push(drawStep(task, random));
  return steps;
}

/**
 * Previous_Equals_Current's distribution: iid sequences without duplicates (the paper ran
 * torch.unique over its rows). Rejection sampling while duplicates are rare; when `n` is more than
 * half of all possible sequences, enumerate them all and take a shuffled `n`, so this always ends.
 */
function drawUnique(task: BenchmarkTask, random: Random, n: number, length: number): Sequence[] {
  const alphabetSize = task.input.max - task.input.min + 1;
  const possible = alphabetSize ** (task.inputDim * length);
  if (n > possible / 2) {
    const all = Array.from({ length: possible }, (_, index) => sequenceAt(task, index, length));
    return random.shuffle(all).slice(0, n);
  }
  const seen = new Set<string>();
  const sequences: Sequence[] = [];
  while (sequences.length < n) {
    const x = drawIid(task, random, length);
    const key = x.map((step) => step.join(",")).join(";");
    if (seen.has(key)) continue;
    seen.add(key);
    sequences.push(x);
  }
  return sequences;
}

/** The index-th sequence in base-`alphabetSize` counting order (only used for small `possible`). */
function sequenceAt(task: BenchmarkTask, index: number, length: number): Sequence {
  const alphabetSize = task.input.max - task.input.min + 1;
  let rest = index;
  return Array.from({ length }, () =>
    Array.from({ length: task.inputDim }, () => {
      const digit = rest % alphabetSize;
      rest = Math.floor(rest / alphabetSize);
      return task.input.min + digit;
    }),
  );
}

/**
 * Whether `x` can be drawn from the task's distribution (at x's length). Every iid sequence can;
 * Bit_Palindrome's must start with a palindrome of length >= 2 (a length-1 sequence is iid).
 */
export function inSupport(task: BenchmarkTask, x: Sequence): boolean {
  if (task.sampling !== "palindrome-prefix" || x.length < 2) return true;
  const same = (a: Step, b: Step): boolean => a.every((v, j) => v === b[j]);
  for (let length = 2; length <= x.length; length++) {
    let palindrome = true;
    for (let t = 0; t < length / 2 && palindrome; t++) palindrome = same(x[t]!, x[length - 1 - t]!);
    if (palindrome) return true;
  }
  return false;
}
