/**
 * mips: compile trained recurrent networks into verified programs (MIPS, arXiv 2402.05110).
 *
 * The public surface, stage by stage. Each stage is a function from one plain-data value to the
 * next (Task → Rnn → Machine → ProgramIR → Python source → verification record); `synthesize` runs them all.
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

// Code generation: the emitted Python and TypeScript programs, the table fallback, verification.
export type { PythonHeader } from "./codegen/python.js";
export { emitPython, emitPythonTable } from "./codegen/python.js";
export type { TypeScriptFailure } from "./codegen/typescript.js";
export { emitTypeScript, runTypeScript } from "./codegen/typescript.js";
export type { TableProgram } from "./codegen/table.js";
export { runTable, tableProgram } from "./codegen/table.js";
export type { Counterexample, PythonVerification, SuiteResult, VerificationRecord, VerificationSuite } from "./codegen/verify.js";
export { verifyProgram, verifyPython } from "./codegen/verify.js";

// The whole compiler: task in, verified program (or the stage that failed and why) out.
export type { CandidateProgram, ProgressEvent, Stage, StageFailure, Synthesis, SynthesizeOptions } from "./synth/synthesize.js";
export { synthesize } from "./synth/synthesize.js";
export type { ProgramLine, SynthesisReport } from "./synth/report.js";
export { formatSummary, synthesisReport } from "./synth/report.js";
export type { VerificationData, VerificationDataOptions } from "./synth/verification-data.js";
export { verificationData } from "./synth/verification-data.js";
export { MIPS_VERSION } from "./common/version.js";

// Shared plumbing.
export type { Result } from "./common/result.js";
export { Random } from "./common/random.js";
