/**
 * mips: compile trained recurrent networks into verified programs (MIPS, arXiv 2402.05110).
 *
 * The public surface, stage by stage. Each stage is a function from one plain-data value to the
 * next (Task → Rnn → Machine → ProgramIR → Python source; verification and `synthesize` come next).
 */

// Tasks: a task.json path or a built-in name in, a typed Task (with its Dataset) out.
export type { Dataset, Example, IntRange, Sampler, Sequence, Step, Task, TaskError, TaskErrorCode } from "./task/index.js";
export { describeTaskError, formatExample, loadTaskFile, parseExamples, resolveTask } from "./task/index.js";

// The paper's 62 benchmark tasks (used to generate data and verify programs, never by extraction).
export type { BenchmarkTask, PaperResult } from "./benchmarks/index.js";
export { benchmarkTasks, builtinTask, findBenchmarkTask, sampleExamples } from "./benchmarks/index.js";

// The network: reference model, training kernels, training, architecture search, model files.
export type {
  Attempt,
  Candidate,
  InputEncoding,
  Kernel,
  KernelChoice,
  KernelName,
  MlpShape,
  NormalizeOptions,
  NormalizeResult,
  NormalizerStep,
  OutputHead,
  Rnn,
  RnnConfig,
  SearchOptions,
  SearchResult,
  TrainingRecord,
  TrainOptions,
} from "./rnn/index.js";
export {
  availableKernels,
  createKernel,
  formatSearch,
  measureAccuracy,
  normalize,
  parameterCount,
  rnnFromJson,
  rnnToJson,
  runSequence,
  searchArchitecture,
  trainRnn,
} from "./rnn/index.js";

// Extraction: a trained network's hidden states read out as a machine with integer states.
export type { Extraction, ExtractionAttempt, ExtractionFailure, Machine, MachineCheck, ModelExtraction } from "./fsm-extract/index.js";
export { extractMachine, extractModel, machineToDot, machineToMermaid } from "./fsm-extract/index.js";

// Symbolic regression: a machine's transitions and outputs as exact formulas (a ProgramIR).
export type { Expr, Formula, ProgramIR, RegressFailure, RegressionResult, RegressOptions } from "./symbolic/index.js";
export { formatProgram, regress, runProgram } from "./symbolic/index.js";

// Code generation: the emitted Python program.
export type { PythonHeader } from "./codegen/python.js";
export { emitPython } from "./codegen/python.js";
export type { PythonVerification } from "./codegen/verify.js";
export { verifyPython } from "./codegen/verify.js";

// Shared plumbing.
export type { Result } from "./common/result.js";
export { Random } from "./common/random.js";
