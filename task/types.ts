/**
 * Tasks and datasets: what the pipeline is asked to learn. Plain data, JSON-serialisable
 * (except Task.sample, the generator that only built-in tasks have).
 */

/** One time step: `inputDim` (or `outputDim`) integers. */
export type Step = readonly number[];
/** A sequence of steps. */
export type Sequence = readonly Step[];

/** One input sequence with its target sequence of the same length. */
export interface Example {
  readonly x: Sequence;
  readonly y: Sequence;
}

/** An inclusive integer range. */
export interface IntRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A task's data. Invariants: every example has x.length === y.length >= 1, every x step has
 * inputDim integers and every y step outputDim integers; train and test are non-empty.
 */
export interface Dataset {
  readonly kind: "dataset";
  readonly version: 1;
  readonly name: string;
  readonly inputDim: number;
  readonly outputDim: number;
  /** Per input component: the specified alphabet (built-in) or the range seen in train ∪ test (files). */
  readonly inputRanges: readonly IntRange[];
  /** Per output component: the range seen in train. */
  readonly outputRanges: readonly IntRange[];
  readonly train: readonly Example[];
  readonly test: readonly Example[];
}

/** Draws `n` fresh examples with a seed, optionally of another sequence length than the task's own. */
export type Sampler = (n: number, seed: number, length?: number) => Example[];

/** A resolved task: a built-in benchmark task or a user's task.json with data files. */
export interface Task {
  readonly name: string;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly source: { readonly kind: "builtin"; readonly builtin: string } | { readonly kind: "file"; readonly path: string };
  readonly dataset: Dataset;
  /** Fresh held-out data of any length: only built-in tasks have a generator. */
  readonly sample?: Sampler;
  /** Built-in tasks: the exact target, for verifying programs only (extraction never sees it). */
  readonly reference?: (x: Sequence) => Sequence;
  /** Built-in tasks: whether the task's input distribution can produce x (exhaustive verification enumerates these). */
  readonly inSupport?: (x: Sequence) => boolean;
  /** Data-file tasks: the examples of task.json's optional `data.verify` file, used only to verify programs. */
  readonly verification?: readonly Example[];
}
