/**
 * regress(machine) → ProgramIR: exact formulas for a machine's transitions and outputs.
 *
 * For every re-coding of the machine (symbolic/recode.ts), each target gets a regression table:
 * - "register i": variables = the registers before the step and the inputs, target = register i
 *   after the step, one row per transition row;
 * - "output j": variables = the registers after the step and the inputs, target = output j of the
 *   state entered, one row per transition row whose next state has a known output.
 *
 * The passes:
 * 1. Cheap methods (symbolic/methods.ts: constant, integer-linear, Boolean) on every target of
 *    every re-coding; the smallest fit per target is kept. The smallest re-coding whose targets
 *    all have cheap fits is the baseline program.
 * 2. Formula search, for targets with no cheap fit or a large one (more than `largeFitSize` nodes
 *    and above its expected lower bound), by iterative deepening across re-codings: all of them
 *    at ≤ 5 nodes, then ≤ 7, then ≤ searchMaxSize, re-codings in order of their estimated total.
 *    A search that rules out the small sizes raises its target's lower bound; a re-coding whose
 *    lower bounds add up to the best program so far is dropped, and each search is capped to the
 *    size that could still beat it. So a small program found early keeps the large searches of
 *    the others from running at all.
 * 3. The smallest complete program wins (ties: the re-coding tried first). Registers get names.
 *
 * Every formula is checked on every row of its table, and the program against the machine: on
 * every transition row (lattice machines, through the re-coding's map of codes), or on every
 * reachable (state, registers) pair and on random input sequences (finite machines). A mismatch
 * there is a bug and throws.
 *
 * Failures: the first target without a formula in the best-ranked re-coding, with its reason
 * (`no_fit`, `inconsistent_rows`, or `budget_exhausted` when a search budget or the time limit ran
 * out). Searches are bounded by candidate counts, so results are deterministic unless a wall-clock
 * limit fires (the per-search safety net, or the machine's timeLimitMs); the attempts say when.
 */
import { Random } from "../common/random.js";
import { fail, ok, type Result } from "../common/result.js";
import type { Machine } from "../fsm-extract/types.js";
import { cheapMethods, expectedLowerBound, fitsTable, provenBelow, searchRunner, searchTable, type SearchRun } from "./methods.js";
import { plainRegisterNames, stepProgram, validRegisterName, type ProgramIR, type Register } from "./program.js";
import { finiteTable, recodings, type RecodeOptions, type Recoding } from "./recode.js";
import type { Expr, Formula, RegressionFailure, RegressionMethod, RegressionTable, Variable } from "./types.js";

export interface RegressOptions {
  /** Wall-clock budget for the whole machine (default 60,000 ms); running out is a `budget_exhausted` failure. */
  readonly timeLimitMs?: number;
  /** 0: formula search in this thread; n ≥ 1: up to n searches at once, each on a worker thread (default 2). */
  readonly searchThreads?: number;
  /** Largest searched formula (default 9). */
  readonly searchMaxSize?: number;
  /** Candidate budget of one search (default 10,000,000): the count that keeps runs deterministic. */
  readonly searchMaxCandidates?: number;
  /** Safety net on one search's wall-clock time (default 20,000 ms). */
  readonly searchTimeLimitMs?: number;
  /** A cheap fit larger than this is searched for something smaller (default 7). */
  readonly largeFitSize?: number;
  /** Tables with more distinct rows are searched on a sample, grown by counterexamples (default 256). */
  readonly searchSampleRows?: number;
  /** Boolean regression only on tables of at most this many rows (default 1,024; its cost grows fast with rows). */
  readonly maxBooleanRows?: number;
  /** Seed of the random input sequences that check a finite machine's program (default 0). */
  readonly seed?: number;
  /** Random sequences (default 200) of this length (default 40) in the finite-machine check. */
  readonly checkSequences?: number;
  readonly checkLength?: number;
  readonly recode?: RecodeOptions;
}

const defaults = {
  timeLimitMs: 60_000,
  searchThreads: 2,
  searchMaxSize: 9,
  searchMaxCandidates: 10_000_000,
  searchTimeLimitMs: 20_000,
  largeFitSize: 7,
  searchSampleRows: 256,
  maxBooleanRows: 1024,
  seed: 0,
  checkSequences: 200,
  checkLength: 40,
};

type Options = typeof defaults & { readonly recode: RecodeOptions };

/** What was weighed for one target of the chosen re-coding. */
export interface Attempt {
  readonly method: RegressionMethod;
  /** Size of the fit, or null when the method found none. */
  readonly size: number | null;
  readonly detail: string;
}

export interface TargetReport {
  /** "register a", "output 0". */
  readonly target: string;
  readonly method: RegressionMethod;
  readonly size: number;
  readonly seconds: number;
  readonly attempts: readonly Attempt[];
}

/** One re-coding tried: its total formula size when every target got a formula, else why not. */
export interface RecodingReport {
  readonly name: string;
  readonly size: number | null;
  readonly detail: string;
}

export interface RegressionResult {
  readonly program: ProgramIR;
  readonly perTarget: readonly TargetReport[];
  readonly recodings: readonly RecodingReport[];
  readonly seconds: number;
}

export type RegressFailure = RegressionFailure & { readonly target: string };

/** One line: "register a: budget_exhausted: …". */
export function describeRegressFailure(failure: RegressFailure): string {
  return `${failure.target}: ${failure.reason}: ${failure.detail}`;
}

// ---------------------------------------------------------------- tables

/** One target of one re-coding: its label and table. */
interface Target {
  readonly kind: "register" | "output";
  readonly index: number;
  readonly table: RegressionTable;
}

function variablesOf(machine: Machine): Variable[] {
  return [
    ...Array.from({ length: machine.stateDim }, (_, index) => ({ kind: "state" as const, index })),
    ...Array.from({ length: machine.inputDim }, (_, index) => ({ kind: "input" as const, index })),
  ];
}

/** The register and output tables of a machine (see the module comment). */
export function regressionTables(machine: Machine): { registers: RegressionTable[]; outputs: RegressionTable[] } {
  const variables = variablesOf(machine);
  const outputOf = new Map(machine.outputs.map((o) => [o.state.join(","), o.output]));
  const registers = Array.from({ length: machine.stateDim }, (_, i) => ({
    variables,
    values: machine.transitions.map((r) => [...r.state, ...r.input]),
    targets: machine.transitions.map((r) => r.next[i]!),
  }));
  const entered = machine.transitions.filter((r) => outputOf.has(r.next.join(",")));
  const outputs = Array.from({ length: machine.outputDim }, (_, j) => ({
    variables,
    values: entered.map((r) => [...r.next, ...r.input]),
    targets: entered.map((r) => outputOf.get(r.next.join(","))![j]!),
  }));
  return { registers, outputs };
}

function targetsOf(machine: Machine): Target[] {
  const { registers, outputs } = regressionTables(machine);
  return [
    ...registers.map((table, index) => ({ kind: "register" as const, index, table })),
    ...outputs.map((table, index) => ({ kind: "output" as const, index, table })),
  ];
}

// ---------------------------------------------------------------- regress

interface Fit {
  readonly formula: Formula;
  readonly attempts: Attempt[];
  readonly seconds: number;
}

interface Candidate {
  readonly recoding: Recoding;
  readonly order: number;
  readonly targets: readonly Target[];
  /** The smallest cheap fit of each target, or null. */
  readonly cheap: readonly (Formula | null)[];
  readonly attempts: readonly Attempt[][];
  readonly cheapSeconds: readonly number[];
  /** Targets that get a search: no cheap fit, or a large one. */
  readonly needsSearch: readonly boolean[];
  /** Σ cheap sizes, at most searchMaxSize for a target that gets a search: the order re-codings are tried in. */
  readonly estimate: number;
}

function label(target: Target, names: readonly string[]): string {
  return target.kind === "register" ? `register ${names[target.index]}` : `output ${target.index}`;
}

export async function regress(machine: Machine, options: RegressOptions = {}): Promise<Result<RegressionResult, RegressFailure>> {
  const opts: Options = { ...defaults, ...options, recode: options.recode ?? {} };
  const started = performance.now();
  // Searches stop a little before the limit, leaving time to assemble and check the program.
  const searchMs = opts.timeLimitMs - Math.min(0.1 * opts.timeLimitMs, 5000);
  const deadline = started + searchMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), searchMs);
  try {
    return await regressWithin(machine, opts, started, deadline, searchRunner(opts.searchThreads, controller.signal));
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Search progress on one target of one re-coding. */
interface TargetState {
  fit: Formula | null;
  readonly attempts: Attempt[];
  seconds: number;
  /** Still worth a search at a larger size. */
  open: boolean;
  /** Every formula smaller than this has been ruled out. */
  lower: number;
  failure: RegressionFailure | null;
}

async function regressWithin(machine: Machine, opts: Options, started: number, deadline: number, run: SearchRun): Promise<Result<RegressionResult, RegressFailure>> {
  const candidates = recodings(machine, opts.recode).map((recoding, order) => cheapFits(recoding, order, opts, deadline));
  candidates.sort((p, q) => p.estimate - q.estimate || p.order - q.order);
  const states = new Map<Candidate, TargetState[]>(
    candidates.map((c) => [
      c,
      c.targets.map((_, i) => ({
        fit: c.cheap[i]!,
        attempts: [...c.attempts[i]!],
        seconds: c.cheapSeconds[i]!,
        open: c.needsSearch[i]!,
        lower: c.needsSearch[i] ? expectedLowerBound(c.cheap[i]!) : c.cheap[i]!.size,
        failure: c.cheap[i] ? null : { reason: "no_fit" as const, detail: "no cheap method fits and no search ran" },
      })),
    ]),
  );
  const notes = new Map<Candidate, string>();
  let best: { candidate: Candidate; size: number } | null = null;
  const sizeOf = (c: Candidate): number | null => {
    const fits = states.get(c)!.map((t) => t.fit);
    return fits.every((f) => f !== null) ? fits.reduce((s, f) => s + f!.size, 0) : null;
  };
  const consider = (c: Candidate): void => {
    const size = sizeOf(c);
    if (size !== null && (best === null || size < best.size)) best = { candidate: c, size };
  };
  // The baseline: the smallest program of cheap fits alone; the searches below only try to beat it.
  candidates.forEach(consider);

  // Iterative deepening across re-codings: every re-coding's searches at size ≤ 5, then ≤ 7, then
  // ≤ searchMaxSize. A small program found early bounds the larger searches of the others, and a
  // search that ruled out the small sizes raises its target's lower bound.
  const rounds = [...new Set([5, 7, opts.searchMaxSize].filter((m) => m <= opts.searchMaxSize))];
  for (const roundMax of rounds) {
    for (const candidate of candidates) {
      const targets = states.get(candidate)!;
      if (!targets.some((t) => t.open)) continue;
      if (targets.some((t) => !t.open && t.fit === null)) continue;
      const lowerTotal = targets.reduce((s, t) => s + (t.open ? t.lower : t.fit!.size), 0);
      const bestSize: number = (best as { size: number } | null)?.size ?? Infinity;
      if (lowerTotal >= bestSize) {
        targets.forEach((t) => (t.open = false));
        notes.set(candidate, `not searched further: at least ${lowerTotal} nodes, the best has ${bestSize}`);
        continue;
      }
      if (performance.now() >= deadline) {
        targets.forEach((t) => {
          if (t.open && t.fit === null) t.failure = { reason: "budget_exhausted", detail: `the time limit (${opts.timeLimitMs} ms) ran out before this target was searched` };
          t.open = false;
        });
        continue;
      }
      await Promise.all(
        candidate.targets.map(async (target, i) => {
          const state = targets[i]!;
          if (!state.open || state.lower > roundMax) return;
          const maxSize = Math.min(roundMax, (state.fit?.size ?? Infinity) - 1, bestSize - 1 - (lowerTotal - state.lower));
          if (maxSize < state.lower) {
            // Nothing that small can exist: the current fit (if any) is final.
            state.open = false;
            state.failure ??= { reason: "no_fit", detail: `no formula of ${state.lower} to ${maxSize} nodes can beat the best program` };
            return;
          }
          const remaining = deadline - performance.now();
          const t0 = performance.now();
          const searchOptions = { maxSize, maxCandidates: opts.searchMaxCandidates, timeLimitMs: Math.max(1, Math.min(opts.searchTimeLimitMs, remaining)) };
          const result = await searchTable(target.table, searchOptions, opts.searchSampleRows, run);
          state.seconds += (performance.now() - t0) / 1000;
          if (result.ok) {
            if (!fitsTable(result.value.expr, target.table)) throw new Error(`regress: the searched formula for ${target.kind} ${target.index} does not fit its table`);
            state.attempts.push({ method: "search", size: result.value.size, detail: `the smallest formula (all of ${state.lower - 1} nodes or fewer ruled out)` });
            state.fit = result.value;
            state.open = false;
            return;
          }
          const proven = provenBelow(result.failure);
          state.attempts.push({ method: "search", size: null, detail: `${result.failure.reason}: ${result.failure.detail}` });
          if (proven !== null && maxSize < opts.searchMaxSize) {
            // The next round searches from here, if the bounds still leave room.
            state.lower = proven;
          } else {
            state.open = false;
            if (state.fit === null) state.failure = result.failure;
          }
        }),
      );
      consider(candidate);
    }
  }

  const reports: RecodingReport[] = candidates.map((c) => {
    const size = sizeOf(c);
    const missing = c.targets.findIndex((_, i) => states.get(c)![i]!.fit === null);
    const detail =
      size !== null ? `${size} nodes` : notes.get(c) ?? describeRegressFailure({ ...states.get(c)![missing]!.failure!, target: label(c.targets[missing]!, provisionalNames(c)) });
    return { name: c.recoding.name, size, detail };
  });
  const chosen = best as { candidate: Candidate; size: number } | null;
  if (chosen === null) {
    // The failure of the best-ranked re-coding: its first target without a formula.
    const c = candidates[0];
    if (!c) return fail({ reason: "no_fit", target: "machine", detail: "no re-coding of the machine applies" });
    const i = c.targets.findIndex((_, k) => states.get(c)![k]!.fit === null);
    return fail({ ...states.get(c)![i]!.failure!, target: label(c.targets[i]!, provisionalNames(c)) });
  }
  const fits: Fit[] = states.get(chosen.candidate)!.map((t) => ({ formula: t.fit!, attempts: t.attempts, seconds: t.seconds }));
  const program = assemble(chosen.candidate, fits.map((f) => f.formula));
  checkProgram(program, machine, chosen.candidate.recoding, opts);
  const names = program.registers.map((r) => r.name);
  return ok({
    program,
    perTarget: chosen.candidate.targets.map((target, i) => ({
      target: label(target, names),
      method: fits[i]!.formula.method,
      size: fits[i]!.formula.size,
      seconds: round(fits[i]!.seconds),
      attempts: fits[i]!.attempts,
    })),
    recodings: reports,
    seconds: round((performance.now() - started) / 1000),
  });
}

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;

/** Every cheap method on every target of one re-coding; the smallest fit per target (ties: cheaper method). */
function cheapFits(recoding: Recoding, order: number, opts: Options, deadline: number): Candidate {
  const targets = targetsOf(recoding.machine);
  const cheap: (Formula | null)[] = [];
  const attempts: Attempt[][] = [];
  const cheapSeconds: number[] = [];
  for (const target of targets) {
    const t0 = performance.now();
    let best: Formula | null = null;
    const tried: Attempt[] = [];
    if (target.table.targets.length === 0) {
      // Never observed (no rows): any value will do.
      best = { expr: { kind: "const", value: 0 }, method: "constant", size: 1 };
      tried.push({ method: "constant", size: 1, detail: "no rows: never observed" });
    } else {
      for (const method of cheapMethods) {
        if (performance.now() >= deadline) {
          tried.push({ method: method.name, size: null, detail: "not tried: the time limit ran out" });
          continue;
        }
        const fit = method.fit(target.table, opts, best);
        if (fit.ok) {
          if (!fitsTable(fit.value.expr, target.table)) throw new Error(`regress: the ${method.name} fit does not fit its table`);
          tried.push({ method: fit.value.method, size: fit.value.size, detail: "exact on every row" });
          if (best === null || fit.value.size < best.size) best = fit.value;
          if (fit.value.method === "constant") break;
        } else {
          tried.push({ method: method.name, size: null, detail: `${fit.failure.reason}: ${fit.failure.detail}` });
        }
      }
    }
    cheap.push(best);
    attempts.push(tried);
    cheapSeconds.push((performance.now() - t0) / 1000);
  }
  // Search where no cheap fit exists, or where a large one might shrink to searchMaxSize nodes or fewer.
  const needsSearch = cheap.map((f) => {
    const lower = expectedLowerBound(f);
    return f === null || (f.size > opts.largeFitSize && lower < f.size && lower <= opts.searchMaxSize);
  });
  const estimate = cheap.reduce(
    (s, f, i) => s + (needsSearch[i] ? Math.max(expectedLowerBound(f), Math.min(f?.size ?? Infinity, opts.searchMaxSize)) : f!.size),
    0,
  );
  return { recoding, order, targets, cheap, needsSearch, attempts, cheapSeconds, estimate };
}

function provisionalNames(candidate: Candidate): string[] {
  const n = candidate.recoding.machine.stateDim;
  return candidate.recoding.registerNames ? [...candidate.recoding.registerNames] : plainRegisterNames(n);
}

// ---------------------------------------------------------------- the program

/**
 * The ProgramIR of a re-coding and its formulas. Register names: the re-coding's (bits, one-hot
 * flags, input windows); else a chain fed by the single input reads last1, last2, … (register
 * last1 = x, last2 = last1, …: after the step, lastj holds the input j − 1 steps back); a register
 * that adds the single input to itself is `total`; the rest are a, b, c, …
 */
function assemble(candidate: Candidate, formulas: readonly Formula[]): ProgramIR {
  const machine = candidate.recoding.machine;
  const d = machine.stateDim;
  const updates = formulas.slice(0, d);
  const names = candidate.recoding.registerNames ? [...candidate.recoding.registerNames] : meaningfulNames(updates, machine.inputDim);
  if (names.length !== d || new Set(names).size !== d || !names.every(validRegisterName)) throw new Error(`regress: bad register names ${names.join(", ")}`);
  const registers: Register[] = updates.map((update, i) => ({ name: names[i]!, initial: machine.initial[i]!, update }));
  return {
    kind: "program",
    version: 1,
    inputDim: machine.inputDim,
    outputDim: machine.outputDim,
    registers,
    outputs: formulas.slice(d),
    recoding: candidate.recoding.description,
    binary: binaryVariables(machine),
  };
}

/** Which registers and inputs hold only 0 or 1 on every row of the (re-coded) machine. */
function binaryVariables(machine: Machine): NonNullable<ProgramIR["binary"]> {
  const bit = (v: number): boolean => v === 0 || v === 1;
  const codes = [machine.initial, ...machine.transitions.flatMap((r) => [r.state, r.next])];
  return {
    registers: Array.from({ length: machine.stateDim }, (_, i) => codes.every((c) => bit(c[i]!))),
    inputs: Array.from({ length: machine.inputDim }, (_, j) => machine.inputs.every((x) => bit(x[j]!))),
  };
}

function meaningfulNames(updates: readonly Formula[], inputDim: number): string[] {
  const d = updates.length;
  const names: (string | null)[] = new Array(d).fill(null);
  const isVar = (e: Expr, kind: "state" | "input", index: number): boolean => e.kind === "var" && e.variable.kind === kind && e.variable.index === index;
  if (inputDim === 1) {
    // The chain last1 = x, last2 = last1, …
    let current = updates.findIndex((f) => isVar(f.expr, "input", 0));
    for (let j = 1; current >= 0 && names[current] === null; j++) {
      names[current] = `last${j}`;
      const from = current;
      current = updates.findIndex((f) => isVar(f.expr, "state", from));
    }
    const totals = updates.flatMap((f, i) => {
      const e = f.expr;
      const accumulates = e.kind === "binary" && e.op === "add" &&
        ((isVar(e.left, "state", i) && isVar(e.right, "input", 0)) || (isVar(e.left, "input", 0) && isVar(e.right, "state", i)));
      return accumulates && names[i] === null ? [i] : [];
    });
    if (totals.length === 1) names[totals[0]!] = "total";
  }
  const plain = plainRegisterNames(d + 8).filter((n) => !names.includes(n));
  return names.map((n) => n ?? plain.shift()!);
}

// ---------------------------------------------------------------- checking the program

/** Throws when the program does not reproduce the machine (a bug: every formula fits its table). */
function checkProgram(program: ProgramIR, machine: Machine, recoding: Recoding, opts: Options): void {
  const mismatch = (where: string): never => {
    throw new Error(`regress: the program (re-coding ${recoding.name}) does not reproduce the machine ${where}`);
  };
  const same = (p: readonly number[], q: readonly number[]): boolean => p.length === q.length && p.every((x, i) => x === q[i]);
  const outputOf = new Map(machine.outputs.map((o) => [o.state.join(","), o.output]));
  if (machine.path === "lattice") {
    const encode = recoding.encode ?? ((z) => z);
    for (const row of machine.transitions) {
      const step = stepProgram(program, encode(row.state), row.input);
      const output = outputOf.get(row.next.join(","));
      if (step === null || !same(step.registers, encode(row.next)) || (output && !same(step.outputs, output))) {
        mismatch(`on the row [${row.state}] × [${row.input}] → [${row.next}]`);
      }
    }
    return;
  }
  const t = finiteTable(machine);
  const a = t.inputs.length;
  // Every reachable (state, registers) pair, up to the pair budget.
  const start = program.registers.map((r) => r.initial);
  const seen = new Set<string>([`0|${start.join(",")}`]);
  const queue: Array<{ s: number; registers: readonly number[] }> = [{ s: 0, registers: start }];
  const maxPairs = opts.recode.maxPairs ?? 100_000;
  for (let q = 0; q < queue.length && seen.size < maxPairs; q++) {
    const { s, registers } = queue[q]!;
    for (let k = 0; k < a; k++) {
      const next = t.next[s * a + k]!;
      if (next < 0) continue;
      const step = stepProgram(program, registers, t.inputs[k]!);
      const output = t.outputs[next];
      if (step === null || (output && !same(step.outputs, output))) mismatch(`from state ${s} with registers [${registers}] on input [${t.inputs[k]}]`);
      const pair = `${next}|${step!.registers.join(",")}`;
      if (!seen.has(pair)) {
        seen.add(pair);
        queue.push({ s: next, registers: step!.registers });
      }
    }
  }
  // Random input sequences, run until the machine has no transition.
  const random = new Random(opts.seed);
  for (let n = 0; n < opts.checkSequences; n++) {
    let s = 0;
    let registers: readonly number[] = start;
    for (let step = 0; step < opts.checkLength; step++) {
      const k = random.int(0, a - 1);
      const next = t.next[s * a + k]!;
      if (next < 0) break;
      const stepped = stepProgram(program, registers, t.inputs[k]!);
      const output = t.outputs[next];
      if (stepped === null || (output && !same(stepped.outputs, output))) mismatch(`on random sequence ${n} at step ${step}`);
      s = next;
      registers = stepped!.registers;
    }
  }
}
