/**
 * task/: what the pipeline learns. Input: a task.json path or a built-in name. Output: a typed Task
 * with its Dataset, or a TaskError naming the file, line and field at fault.
 */
export type { Dataset, Example, IntRange, Sampler, Sequence, Step, Task } from "./types.js";
export type { TaskError, TaskErrorCode } from "./errors.js";
export { describeTaskError } from "./errors.js";
export { formatExample, parseExamples } from "./jsonl.js";
export type { BuiltinOptions, TaskFile } from "./load.js";
export { loadTaskFile, resolveTask } from "./load.js";
export { componentRanges } from "./ranges.js";
