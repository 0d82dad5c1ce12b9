/**
 * benchmarks/: the paper's 62 tasks. Input: a task name. Output: its specification with an exact
 * reference (`benchmarkTasks`), examples drawn from its distribution (`sampleExamples`), or a
 * pipeline `Task` with a generated dataset (`builtinTask`).
 * Only data generation and final verification may use this folder; extraction stages never import it.
 */
export type { BenchmarkTask, PaperMethod, PaperResult, Reference, Sampling } from "./tasks.js";
export { benchmarkTasks, findBenchmarkTask, suggestBenchmarkTaskNames } from "./tasks.js";
export type { SampleOptions } from "./sample.js";
export { inSupport, sampleExamples } from "./sample.js";
export type { BuiltinTaskOptions } from "./builtin.js";
export { builtinTask } from "./builtin.js";
