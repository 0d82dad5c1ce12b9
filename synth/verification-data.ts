/**
 * The data a program is verified on, kept apart from the data the network and the machine were
 * fitted to. Built-in tasks draw fresh sequences from their generator (a seed stream no training or
 * extraction draw uses), at the training length and at 2× and 5× it, and enumerate every input
 * sequence the task's distribution can produce while there are at most `exhaustiveLimit` of them.
 * Data-file tasks verify on task.json's `data.verify` file, or else on half of the test file, held
 * back from the search and the extraction (the returned dataset has the other half as its test split).
 */
import { Random } from "../common/random.js";
import type { VerificationSuite } from "../codegen/verify.js";
import type { Dataset, Example, Sequence, Step, Task } from "../task/types.js";

export type SuiteName = "held-out" | "exhaustive" | "length-2x" | "length-5x";

export interface NamedSuite extends VerificationSuite {
  readonly name: SuiteName;
}

export interface VerificationData {
  /** The data training and extraction may use. */
  readonly dataset: Dataset;
  readonly suites: readonly NamedSuite[];
}

export interface VerificationDataOptions {
  readonly seed: number;
  /** Fresh held-out sequences (built-in tasks; default 10,000). */
  readonly heldOut?: number;
  /** Largest exhaustive enumeration (default 200,000 sequences). */
  readonly exhaustiveLimit?: number;
  /** Longer lengths, as multiples of the training length (default [2, 5]). */
  readonly lengthFactors?: readonly number[];
}

export function verificationData(task: Task, options: VerificationDataOptions): VerificationData {
  const heldOut = options.heldOut ?? 10_000;
  return task.sample ? builtinData(task, task.sample, heldOut, options) : fileData(task, options.seed);
}

function builtinData(task: Task, sample: NonNullable<Task["sample"]>, heldOut: number, options: VerificationDataOptions): VerificationData {
  const dataset = task.dataset;
  const length = longestLength(dataset);
  // A purpose-labelled seed stream: the dataset's train and test splits come from "train"/"test".
  const seedFor = (label: string): number => Random.derive(options.seed, `verify:${label}`).nextUint32();
  const fresh = sample(heldOut, seedFor("held-out"), length);
  const seen = new Set([...dataset.train, ...dataset.test].map((e) => key(e.x)));
  const unseen = fresh.filter((e) => !seen.has(key(e.x))).length;
  const suites: NamedSuite[] = [
    {
      name: "held-out",
      description: `${count(fresh.length)} fresh sequences of length ${length} (${count(unseen)} of them not in the training or test data)`,
      required: true,
      examples: fresh,
    },
  ];
  const exhaustive = task.reference ? exhaustiveSuite(task, task.reference, length, options.exhaustiveLimit ?? 200_000) : null;
  if (exhaustive) suites.push(exhaustive);
  for (const factor of options.lengthFactors ?? [2, 5]) {
    const examples = sample(heldOut, seedFor(`length-${factor}x`), length * factor);
    suites.push({
      name: `length-${factor}x` as SuiteName,
      description: `${count(examples.length)} fresh sequences of length ${length * factor} (${factor}× the training length)`,
      required: false,
      examples,
    });
  }
  return { dataset, suites };
}

/**
 * Every input sequence of the longest length L ≤ the training length with at most `limit` of them
 * (each shorter sequence is a prefix of one, and the program's output at every step is checked),
 * restricted to the task's support. Null when even length 1 is too many or no alphabet is known.
 */
function exhaustiveSuite(task: Task, reference: (x: Sequence) => Sequence, trainingLength: number, limit: number): NamedSuite | null {
  const alphabets = task.dataset.inputRanges.map((r) => r.max - r.min + 1);
  const perStep = alphabets.reduce((a, b) => a * b, 1);
  let length = 0;
  while (length < trainingLength && perStep ** (length + 1) <= limit) length++;
  if (length === 0) return null;
  const steps = allSteps(task.dataset.inputRanges.map((r) => r.min), alphabets);
  const total = perStep ** length;
  const examples: Example[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const x: Step[] = [];
    for (let t = 0; t < length; t++) {
      x.push(steps[rest % perStep]!);
      rest = Math.floor(rest / perStep);
    }
    if (task.inSupport && !task.inSupport(x)) continue;
    examples.push({ x, y: reference(x) });
  }
  const restricted = examples.length < total ? ` that the task's distribution can produce (of ${count(total)})` : "";
  const ranges = task.dataset.inputRanges.map((r) => `${r.min}..${r.max}`).join(" × ");
  return {
    name: "exhaustive",
    description: `all ${count(examples.length)} input sequences of length ${length} over ${ranges}${restricted}, and so every shorter one as a prefix`,
    required: true,
    examples,
  };
}

/** Every input step: the product of the component alphabets, first component fastest. */
function allSteps(mins: readonly number[], sizes: readonly number[]): Step[] {
  let steps: number[][] = [[]];
  for (let j = 0; j < sizes.length; j++) {
    const next: number[][] = [];
    for (let v = 0; v < sizes[j]!; v++) for (const s of steps) next.push([...s, mins[j]! + v]);
    steps = next;
  }
  return steps;
}

/**
 * A data-file task has no generator: its verify file when it has one; otherwise the test file is
 * split by a seeded shuffle, one half for the search and extraction, the other for verification.
 */
function fileData(task: Task, seed: number): VerificationData {
  const dataset = task.dataset;
  if (task.verification && task.verification.length > 0) {
    return { dataset, suites: [{ name: "held-out", description: `the ${count(task.verification.length)} sequences of the task's verify file`, required: true, examples: task.verification }] };
  }
  if (dataset.test.length < 2) {
    return { dataset, suites: [{ name: "held-out", description: "no held-out data: the test file has a single sequence and there is no verify file", required: true, examples: [] }] };
  }
  const order = new Random(Random.derive(seed, "verify:split").nextUint32()).shuffle(dataset.test.map((_, i) => i));
  const half = Math.floor(order.length / 2);
  const kept = order.slice(0, half).sort((a, b) => a - b).map((i) => dataset.test[i]!);
  const held = order.slice(half).sort((a, b) => a - b).map((i) => dataset.test[i]!);
  return {
    dataset: { ...dataset, test: kept },
    suites: [{ name: "held-out", description: `${count(held.length)} sequences of the test file, held back from training and extraction`, required: true, examples: held }],
  };
}

function longestLength(dataset: Dataset): number {
  return [...dataset.train, ...dataset.test].reduce((m, e) => Math.max(m, e.x.length), 0);
}

const key = (x: Sequence): string => x.map((s) => s.join(",")).join(";");
const count = (n: number): string => n.toLocaleString("en-US");
