/**
 * synthesize(task): the whole compiler, one stage after another, each a call of the stage's own
 * public function (DESIGN.md, "The pipeline"):
 *
 *   data → train (architecture search) → extract (normalize, machine) → regress (formulas)
 *        → emit (Python and TypeScript) → verify (python3 and in-process TypeScript)
 *
 * Candidate programs are the regressed formulas and, for a finite machine, its transition table,
 * smaller first; the first one that verifies is the result. A program is emitted twice: once with a placeholder docstring for
 * verification, then with the verification record in its docstring — the code below the docstring
 * is compared byte for byte, so the file written is the file verified.
 *
 * A stage that cannot go on ends the run with a typed failure naming the stage; nothing here throws
 * for an unsolved task. The reference (when the task has one) only produces verification data.
 */
import { emitPython, emitPythonTable } from "../codegen/python.js";
import { tableProgram, tableSize, type TableProgram } from "../codegen/table.js";
import { emitTypeScript } from "../codegen/typescript.js";
import { verifyProgram, type VerificationRecord } from "../codegen/verify.js";
import { extractModel, type ModelExtraction } from "../fsm-extract/pipeline.js";
import type { Machine } from "../fsm-extract/types.js";
import { DEFAULT_TRAINING_BUDGET, searchArchitecture, type Attempt, type SearchResult } from "../rnn/search.js";
import type { Rnn } from "../rnn/types.js";
import { programSize, type ProgramIR } from "../symbolic/program.js";
import { describeRegressFailure, regress, type RegressionResult } from "../symbolic/regress.js";
import type { Task } from "../task/types.js";
import { programHeader, type Provenance } from "./header.js";
import { verificationData } from "./verification-data.js";

export type Stage = "data" | "train" | "extract" | "regress" | "emit" | "verify";
export const STAGES: readonly Stage[] = ["data", "train", "extract", "regress", "emit", "verify"];

export interface ProgressEvent {
  readonly stage: Stage;
  readonly status: "start" | "progress" | "done";
  /** Units done and expected, when the stage can count them (search attempts, suites). */
  readonly done?: number;
  readonly total?: number;
  readonly detail?: string;
}

export interface SynthesizeOptions {
  /** Drives every random choice (default 0): the same seed gives the same program, byte for byte. */
  readonly seed?: number;
  /** Worker threads for training and formula search (default 2). */
  readonly jobs?: number;
  /** Wall-clock budget in seconds (default 900): training stops dispatching at 75% of it (a safety net: the training budget below is the limit meant to apply), extraction builds no new machine in the last 30 s, regression gets what is left (at most 60 s). */
  readonly budgetSeconds?: number;
  /** Training work of the architecture search in reference seconds (default DEFAULT_TRAINING_BUDGET, see rnn/search.ts trainingWork): the deterministic limit; the wall-clock one above is a safety net. */
  readonly trainingBudget?: number;
  /** Start from this trained network instead of searching for one. */
  readonly model?: Rnn;
  /** Fresh held-out sequences for verification (default 10,000) and the exhaustive bound (default 200,000). */
  readonly heldOut?: number;
  readonly exhaustiveLimit?: number;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface StageFailure {
  readonly stage: Stage;
  readonly reason: string;
  readonly detail: string;
}

/** One emitted program: the IR it came from, both sources, and its verification. */
export interface CandidateProgram {
  readonly kind: "formula" | "table";
  readonly ir: ProgramIR | TableProgram;
  /** Formula nodes (formula) or known transitions plus outputs (table). */
  readonly size: number;
  readonly python: string;
  readonly typescript: string;
  readonly verification: VerificationRecord;
}

export interface Synthesis {
  readonly kind: "synthesis";
  readonly version: 1;
  readonly task: string;
  readonly seed: number;
  readonly status: "formula" | "table" | "unsolved";
  readonly failure: StageFailure | null;
  /** The verified program; when unsolved, the first candidate tried (if any), for inspection. */
  readonly program: CandidateProgram | null;
  /** Every candidate emitted, in the order tried, without sources. */
  readonly candidates: readonly { readonly kind: "formula" | "table"; readonly size: number; readonly verified: boolean }[];
  readonly search: Omit<SearchResult, "best"> | null;
  readonly model: Rnn | null;
  readonly extraction: Omit<ModelExtraction, "model" | "machine"> | null;
  readonly machine: Machine | null;
  readonly regression: { readonly found: boolean; readonly result: Omit<RegressionResult, "program"> | null; readonly failure: string | null } | null;
  readonly verification: VerificationRecord | null;
  /** Wall-clock seconds per stage (not part of any emitted file). */
  readonly seconds: Readonly<Record<Stage, number>> & { readonly total: number };
}

export async function synthesize(task: Task, options: SynthesizeOptions = {}): Promise<Synthesis> {
  const seed = options.seed ?? 0;
  const jobs = options.jobs ?? 2;
  const budgetMs = (options.budgetSeconds ?? 900) * 1000;
  const started = performance.now();
  const remainingMs = (): number => budgetMs - (performance.now() - started);
  const progress = options.onProgress ?? ((): void => {});
  const seconds: Record<Stage, number> = { data: 0, train: 0, extract: 0, regress: 0, emit: 0, verify: 0 };
  const timed = async <T>(stage: Stage, run: () => T | Promise<T>): Promise<T> => {
    progress({ stage, status: "start" });
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      seconds[stage] += (performance.now() - t0) / 1000;
      progress({ stage, status: "done" });
    }
  };

  let state: Omit<Synthesis, "kind" | "version" | "task" | "seed" | "status" | "failure" | "seconds"> = {
    program: null, candidates: [], search: null, model: null, extraction: null, machine: null, regression: null, verification: null,
  };
  const finish = (status: Synthesis["status"], failure: StageFailure | null): Synthesis => ({
    kind: "synthesis", version: 1, task: task.name, seed, status, failure, ...state,
    seconds: { ...seconds, total: (performance.now() - started) / 1000 },
  });

  // data: what training and extraction may see, and the suites they never see.
  const data = await timed("data", () => verificationData(task, {
    seed,
    ...(options.heldOut !== undefined ? { heldOut: options.heldOut } : {}),
    ...(options.exhaustiveLimit !== undefined ? { exhaustiveLimit: options.exhaustiveLimit } : {}),
  }));

  // train
  let model = options.model ?? null;
  if (model === null) {
    const search = await timed("train", () => searchArchitecture(data.dataset, {
      seed,
      jobs,
      // Always on worker threads: their heaps hold only the training data. In-process, every major
      // GC of training's short-lived garbage also marks the verification suites (up to 200,000
      // sequences), which made training twice as slow.
      inProcess: false,
      trainingBudget: options.trainingBudget ?? DEFAULT_TRAINING_BUDGET,
      timeLimitMs: Math.max(1000, 0.75 * remainingMs()),
      onAttempt: (attempt: Attempt, index: number) => progress({ stage: "train", status: "progress", done: index + 1, detail: describeAttempt(attempt) }),
    }));
    const { best, ...rest } = search;
    state = { ...state, search: rest, model: best };
    if (!search.perfect || best === null) {
      const accuracy = ((best?.training?.heldOutAccuracy ?? 0) * 100).toFixed(3);
      return finish("unsolved", { stage: "train", reason: search.stopReason === "time_limit" ? "budget_exhausted" : "no_perfect_network", detail: `no network was 100% right on held-out data (best ${accuracy}%, ${search.trace.length} attempts, stopped: ${search.stopReason})` });
    }
    model = best;
  } else {
    state = { ...state, model };
  }

  // extract
  // Extraction may use the budget but the last 30 s, which regression and verification need.
  const extraction = await timed("extract", () => extractModel(model!, data.dataset, { seed, deadline: performance.now() + Math.max(10_000, remainingMs() - 30_000) }));
  const { model: extractedFrom, machine, ...extractionSummary } = extraction;
  state = { ...state, extraction: extractionSummary, machine };
  if (machine === null) {
    return finish("unsolved", { stage: "extract", reason: extraction.failure?.reason ?? "no_machine", detail: extraction.failure?.detail ?? "no exact machine" });
  }

  // regress
  const regression = await timed("regress", () => regress(machine, { seed, searchThreads: jobs, timeLimitMs: Math.max(5000, Math.min(60_000, remainingMs())) }));
  state = {
    ...state,
    regression: regression.ok
      ? { found: true, result: { perTarget: regression.value.perTarget, recodings: regression.value.recodings, seconds: regression.value.seconds }, failure: null }
      : { found: false, result: null, failure: describeRegressFailure(regression.failure) },
  };

  // emit and verify, smaller candidate first
  const provenance: Provenance = { task: task.name, seed, hiddenSize: extractedFrom.config.hiddenSize, machine: describeMachine(machine) };
  // A lattice machine's states are unbounded: a table of the codes seen is no program of the task.
  const table = machine.path === "finite" ? tableProgram(machine) : null;
  const formula = regression.ok ? regression.value.program : null;
  const order = candidateOrder(formula, table);
  const candidates: CandidateProgram[] = [];
  let emitFailure: string | null = null;
  for (const ir of order) {
    const why = ir.kind === "table" ? tableReason(formula, ir) : undefined;
    const draft = await timed("emit", () => emitBoth(ir, programHeader(ir, provenance, null, why)));
    // A program whose TypeScript twin does not type-check is not emitted; the next candidate may be.
    if (!draft.ok) {
      emitFailure ??= `${ir.kind === "program" ? "formulas" : "table"}: ${draft.detail}`;
      continue;
    }
    const record = await timed("verify", () => verifyProgram(draft.python, draft.typescript, data.suites));
    const final = await timed("emit", () => emitBoth(ir, programHeader(ir, provenance, record, why)));
    if (!final.ok) throw new Error(`synthesize: the header broke the TypeScript program: ${final.detail}`);
    if (codeOf(final.python) !== codeOf(draft.python) || codeOf(final.typescript) !== codeOf(draft.typescript)) {
      throw new Error("synthesize: the header changed the program's code");
    }
    const size = ir.kind === "program" ? programSize(ir) : tableSize(ir);
    candidates.push({ kind: ir.kind === "program" ? "formula" : "table", ir, size, python: final.python, typescript: final.typescript, verification: record });
    if (record.verified) break;
  }
  const winner = candidates.find((c) => c.verification.verified) ?? null;
  state = {
    ...state,
    candidates: candidates.map((c) => ({ kind: c.kind, size: c.size, verified: c.verification.verified })),
    program: winner ?? candidates[0] ?? null,
    verification: (winner ?? candidates[0])?.verification ?? null,
  };
  if (winner) return finish(winner.kind, null);
  if (candidates.length === 0) {
    if (emitFailure !== null) return finish("unsolved", { stage: "emit", reason: "type_errors", detail: emitFailure });
    return finish("unsolved", { stage: "regress", reason: "no_program", detail: state.regression?.failure ?? "no formula and no table" });
  }
  return finish("unsolved", { stage: "verify", reason: "not_verified", detail: describeVerificationFailure(candidates[0]!.verification) });
}

/**
 * Formulas first when they are no larger than the table; the table first when regression found
 * only a restatement larger than it. The other one is the fallback.
 */
function candidateOrder(formula: ProgramIR | null, table: TableProgram | null): (ProgramIR | TableProgram)[] {
  if (formula === null || table === null) return [formula, table].filter((p) => p !== null);
  return programSize(formula) <= tableSize(table) ? [formula, table] : [table, formula];
}

function tableReason(formula: ProgramIR | null, table: TableProgram): string {
  if (formula === null) return "symbolic regression found no formula";
  return `the formulas found (${programSize(formula)} nodes) are larger than this table (${tableSize(table)} entries)`;
}

function emitBoth(ir: ProgramIR | TableProgram, header: ReturnType<typeof programHeader>): { ok: true; python: string; typescript: string } | { ok: false; detail: string } {
  const python = ir.kind === "program" ? emitPython(ir, header) : emitPythonTable(ir, header);
  const typescript = emitTypeScript(ir, header);
  if (!typescript.ok) return { ok: false, detail: `the TypeScript program does not type-check: ${typescript.failure.diagnostics.slice(0, 3).join("; ")}` };
  return { ok: true, python, typescript: typescript.value };
}

/** The code of an emitted file without its leading docstring or comment block. */
function codeOf(source: string): string {
  const python = /^"""[\s\S]*?"""\n/.exec(source);
  if (python) return source.slice(python[0].length);
  const ts = /^\/\*\*[\s\S]*?\*\/\n/.exec(source);
  return ts ? source.slice(ts[0].length) : source;
}

export function describeMachine(machine: Machine): string {
  if (machine.path === "lattice") return `an integer lattice of rank ${machine.stateDim} (${machine.lattice?.construction ?? "lattice"} construction)`;
  return `a finite-state machine with ${machine.states.length} state${machine.states.length === 1 ? "" : "s"}`;
}

export function describeVerificationFailure(record: VerificationRecord): string {
  for (const s of record.suites.filter((x) => x.required)) {
    if (s.sequences === 0) return `${s.name}: ${s.description}`;
    const p = s.python;
    if (p.error) return `${s.name}: ${p.error}`;
    if (p.counterexample) {
      const c = p.counterexample;
      const input = c.input.map((x) => (x.length === 1 ? String(x[0]) : `(${x.join(",")})`)).join(" ");
      return `${s.name}: after inputs ${input} the task gives [${c.expected.join(", ")}], the program [${c.got?.join(", ") ?? "nothing"}]`;
    }
    if (s.typescript && !s.typescript.exact) return `${s.name}: the TypeScript program disagrees (${s.typescript.error ?? `sequence ${s.typescript.counterexample?.sequence}, step ${s.typescript.counterexample?.step}`})`;
  }
  return "not verified";
}

function describeAttempt(a: Attempt): string {
  return `hidden ${a.hiddenSize} ${a.family} ${(a.heldOutAccuracy * 100).toFixed(2)}%`;
}
