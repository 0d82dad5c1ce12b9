/**
 * Architecture search: the smallest network that is perfect (100% on held-out data).
 * Candidates run in canonical order (rnn/candidates.ts) on `jobs` worker threads; the winner is the
 * first perfect candidate in that order, so the result does not depend on timing: a later candidate
 * that finishes first waits until every earlier one has failed.
 */
import { formatTextTable } from "../common/text-table.js";
import { Worker } from "node:worker_threads";
import { compiledModuleUrl } from "../common/compiled-url.js";
import type { Dataset } from "../task/types.js";
import { runAttempt, type AttemptOptions } from "./attempt.js";
import type { TrainingData } from "./train.js";
import { defaultSearchSpace, searchCandidates, type Candidate, type FamilyName, type SearchSpace } from "./candidates.js";
import type { KernelChoice } from "./kernels.js";
import { parameterCount } from "./params.js";
import type { Rnn } from "./types.js";

export interface SearchOptions {
  readonly seed: number;
  /** Worker threads; 1 runs in-process unless `inProcess` is false. */
  readonly jobs: number;
  /** Run a one-job search on a worker thread, so that several searches can share the process. */
  readonly inProcess?: boolean;
  readonly kernel?: KernelChoice;
  readonly batchSize?: number;
  readonly space?: Partial<SearchSpace>;
  /**
   * Deterministic training budget in reference seconds (see `trainingWork`): an attempt counts only
   * if the attempts before it in canonical order did less work than this in total; the search stops
   * at the first that does not. Work, unlike time, does not depend on the machine's speed or load,
   * so the same seed gives the same search everywhere. Default: no budget.
   */
  readonly trainingBudget?: number;
  /** Safety net: stop dispatching new candidates after this long (the run is then not reproducible; the report says it fired). */
  readonly timeLimitMs?: number;
  readonly onAttempt?: (attempt: Attempt, index: number, total: number) => void;
}

/** What one candidate did; the search trace is a list of these in canonical order. */
export interface Attempt {
  readonly hiddenSize: number;
  readonly family: FamilyName;
  readonly transitionDepth: number;
  readonly readoutDepth: number;
  readonly encoding: string;
  readonly head: string;
  readonly params: number;
  readonly seed: number;
  readonly perfect: boolean;
  readonly heldOutAccuracy: number;
  readonly steps: number;
  /** Training work in reference seconds (`trainingWork`): what the budget counts. */
  readonly work: number;
  readonly seconds: number;
  readonly stopReason: string;
}

/**
 * Training work in reference seconds: steps × (330 µs per layer after the first + 1.1 µs per
 * parameter), layers counting both MLPs. Fitted to one core of the quiet 2-core reference machine
 * (OpenBLAS kernel, batch 128, sequence length 10, held-out checks included; 93 shapes of 4
 * tasks), where a step costs 0.14–0.7 ms for a linear network (2 layers), 0.4–1.6 ms with an MLP
 * readout and 0.75–3.1 ms for MLP transitions: at these sizes the per-layer overhead outweighs the
 * arithmetic. Per shape it is 0.4–2.1 times the measured time (typically within ±40%), while
 * counting only steps and shapes, so a budget of it is the same on every machine. The unit is
 * fixed at that fit: the kernel has since got faster (ReLU loops in WebAssembly) and does a
 * reference second of work in 0.35–0.5 s (three searches measured), with bit-identical results.
 */
export function trainingWork(steps: number, shape: { readonly params: number; readonly layers: number }): number {
  return steps * (330e-6 * (shape.layers - 1) + 1.1e-6 * shape.params);
}

/**
 * The training budget (reference seconds) of `mips train`, `mips synth`, `mips bench` and the
 * benchmarks unless told otherwise: the slower searches that end perfect fit in it (without a
 * limit Sum_Last6 and Sum_Last7 need about 75 and 77 to reach the paper's sizes 6 and 7, Max_Seen
 * about 120, Add_Mod_6 and Div_5 173 and 157 for a first perfect network at hidden 8), and a task
 * that no network solves costs no more. Raised from 150 once the kernel got twice as fast: the
 * full leaderboard still runs in under 30 minutes on 2 cores.
 */
export const DEFAULT_TRAINING_BUDGET = 200;

export type SearchStopReason = "found" | "exhausted" | "training_budget" | "time_limit";

export interface SearchResult {
  readonly kind: "search";
  readonly version: 1;
  /** The winning network, or the most accurate one when none is perfect. */
  readonly best: Rnn | null;
  readonly perfect: boolean;
  /** Index in `trace` of the winning attempt, -1 when none is perfect. */
  readonly winnerIndex: number;
  readonly stopReason: SearchStopReason;
  readonly trace: readonly Attempt[];
  /** Training steps of the attempts in the trace. */
  readonly steps: number;
  /** Their training work in reference seconds (what the budget counts). */
  readonly work: number;
  readonly seconds: number;
}

export function summariseAttempt(candidate: Candidate, rnn: Rnn): Attempt {
  const c = candidate.config;
  const record = rnn.training!;
  return {
    hiddenSize: c.hiddenSize,
    family: candidate.family,
    transitionDepth: c.transition.depth,
    readoutDepth: c.readout.depth,
    encoding: c.encoding.kind,
    head: c.head.kind === "regression" ? `regression/${c.head.loss}` : "classification",
    params: parameterCount(c),
    seed: candidate.seed,
    perfect: record.perfect,
    heldOutAccuracy: record.heldOutAccuracy,
    steps: record.steps,
    work: attemptWork(candidate, rnn),
    seconds: record.seconds,
    stopReason: record.stopReason,
  };
}

export async function searchArchitecture(dataset: Dataset, options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const space = { ...defaultSearchSpace, ...options.space };
  const candidates = searchCandidates(dataset, space, options.seed);
  const data: TrainingData = { train: dataset.train, test: dataset.test };
  const attemptOptions: AttemptOptions = { kernel: options.kernel ?? "auto", batchSize: options.batchSize ?? 128 };
  const runner =
    options.jobs <= 1 && options.inProcess !== false
      ? inProcessRunner(data, attemptOptions)
      : workerRunner(Math.max(1, options.jobs), data, attemptOptions);
  const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs;

  const trace: Attempt[] = [];
  const finished: Rnn[] = [];
  let timedOut = false;
  let steps = 0;
  let work = 0;
  let budgetSpent = false;
  let winner: { rnn: Rnn; traceIndex: number } | null = null;

  /** One round: every candidate of one hidden size, the first perfect in canonical order wins. */
  const tryHiddenSize = async (hiddenSize: number): Promise<boolean> => {
    const round = candidates.filter((c) => c.config.hiddenSize === hiddenSize);
    let reported = trace.length;
    const workLeft = options.trainingBudget === undefined ? Infinity : options.trainingBudget - work;
    const outcome = await firstPerfect(runner, round, deadline, workLeft, (candidate, rnn) => {
      options.onAttempt?.(summariseAttempt(candidate, rnn), reported++, candidates.length);
    });
    // The trace lists a round's attempts in canonical order, whatever order they finished in.
    outcome.counted.forEach((rnn, i) => {
      trace.push(summariseAttempt(round[i]!, rnn));
      finished.push(rnn);
      steps += rnn.training!.steps;
      work += attemptWork(round[i]!, rnn);
    });
    timedOut ||= outcome.timedOut;
    budgetSpent ||= outcome.budgetSpent;
    if (outcome.winner === null) return false;
    winner = { rnn: outcome.winner, traceIndex: finished.indexOf(outcome.winner) };
    return true;
  };

  try {
    // Probe sizes by doubling until one is perfect, then bisect between the last failure and it.
    const sizes = [...new Set(space.hiddenSizes)].sort((a, b) => a - b);
    let lastFailure = 0;
    let success = 0;
    const mayStartRound = (): boolean => !timedOut && !budgetSpent;
    for (const h of probeSizes(sizes)) {
      if (!mayStartRound()) break;
      if (await tryHiddenSize(h)) {
        success = h;
        break;
      }
      lastFailure = h;
    }
    let between = sizes.filter((h) => h > lastFailure && h < success);
    while (success > 0 && between.length > 0 && mayStartRound()) {
      const mid = between[Math.floor((between.length - 1) / 2)]!;
      if (await tryHiddenSize(mid)) success = mid;
      else lastFailure = mid;
      between = sizes.filter((h) => h > lastFailure && h < success);
    }
  } finally {
    await runner.close();
  }

  const won = winner as { rnn: Rnn; traceIndex: number } | null;
  let best: Rnn | null = won?.rnn ?? null;
  if (!best) {
    for (const rnn of finished) {
      if (!best || rnn.training!.heldOutAccuracy > best.training!.heldOutAccuracy) best = rnn;
    }
  }
  return {
    kind: "search",
    version: 1,
    best,
    perfect: won !== null,
    winnerIndex: won?.traceIndex ?? -1,
    stopReason: won !== null ? "found" : timedOut ? "time_limit" : budgetSpent ? "training_budget" : "exhausted",
    trace,
    steps,
    work,
    seconds: (performance.now() - started) / 1000,
  };
}

/** 1, 2, 4, 8, … through the allowed sizes (each probe the smallest allowed size ≥ the power of two), and the largest. */
export function probeSizes(sizes: readonly number[]): number[] {
  const probes: number[] = [];
  for (let target = 1; ; target *= 2) {
    const size = sizes.find((h) => h >= target);
    if (size === undefined) break;
    if (!probes.includes(size)) probes.push(size);
  }
  const largest = sizes[sizes.length - 1];
  if (largest !== undefined && !probes.includes(largest)) probes.push(largest);
  return probes;
}

/**
 * Run candidates in order on the runner's slots and settle them in canonical order: the winner is
 * the first perfect candidate whose predecessors have all finished (and failed), and the budget
 * ends the round at the first candidate whose predecessors did `workLeft` work or more, so
 * neither depends on timing. `counted` is the settled prefix (through the winner or up to the
 * budget's cut): what a one-slot run would have trained. Candidates past it are not started; ones
 * already running are cancelled and ones that finished early are dropped.
 */
async function firstPerfect(
  runner: Runner,
  candidates: readonly Candidate[],
  deadline: number,
  workLeft: number,
  onFinished: (candidate: Candidate, rnn: Rnn) => void,
): Promise<{ winner: Rnn | null; counted: Rnn[]; timedOut: boolean; budgetSpent: boolean }> {
  const results: Array<Rnn | undefined> = new Array(candidates.length);
  let next = 0;
  let timedOut = false;
  type Settled = { kind: "pending" } | { kind: "winner" | "budget" | "done"; end: number };
  /** Walk the finished prefix in canonical order. */
  const settle = (): Settled => {
    let spent = 0;
    for (let i = 0; i < candidates.length; i++) {
      if (spent >= workLeft) return { kind: "budget", end: i };
      const rnn = results[i];
      if (rnn === undefined) return { kind: "pending" };
      if (rnn.training!.perfect) return { kind: "winner", end: i + 1 };
      spent += attemptWork(candidates[i]!, rnn);
    }
    return { kind: "done", end: candidates.length };
  };
  /** Work of finished candidates before `index`: once it reaches the budget, `index` never counts. */
  const finishedWorkBefore = (index: number): number => {
    let spent = 0;
    for (let i = 0; i < index; i++) {
      const rnn = results[i];
      if (rnn !== undefined) spent += attemptWork(candidates[i]!, rnn);
    }
    return spent;
  };
  const settled = await new Promise<Settled>((resolveRound, rejectRound) => {
    let running = 0;
    let done = false;
    const finish = (outcome: Settled): void => {
      if (done) return;
      done = true;
      resolveRound(outcome);
    };
    const dispatch = (): void => {
      while (running < runner.slots && next < candidates.length) {
        if (performance.now() > deadline) {
          timedOut = true;
          break;
        }
        if (finishedWorkBefore(next) >= workLeft) break;
        const index = next++;
        running++;
        runner.run(candidates[index]!).then(
          (rnn) => {
            running--;
            if (done || rnn === null) return;
            results[index] = rnn;
            onFinished(candidates[index]!, rnn);
            const outcome = settle();
            if (outcome.kind !== "pending") return finish(outcome);
            // Nothing later than a perfect candidate is needed.
            if (rnn.training!.perfect) next = candidates.length;
            dispatch();
          },
          (error: unknown) => {
            done = true;
            rejectRound(error);
          },
        );
      }
      // Nothing running and nothing more to start: the time limit fired (or every result is in).
      if (running === 0) {
        const outcome = settle();
        finish(outcome.kind === "pending" ? { kind: "done", end: results.findIndex((r) => r === undefined) } : outcome);
      }
    };
    dispatch();
  });
  await runner.cancelRunning();
  const end = settled.kind === "pending" ? 0 : settled.end;
  const counted = results.slice(0, end).filter((r): r is Rnn => r !== undefined);
  return {
    winner: settled.kind === "winner" ? results[end - 1]! : null,
    counted,
    timedOut,
    budgetSpent: settled.kind === "budget",
  };
}

function attemptWork(candidate: Candidate, rnn: Rnn): number {
  const c = candidate.config;
  return trainingWork(rnn.training!.steps, { params: parameterCount(c), layers: c.transition.depth + c.readout.depth });
}

interface Runner {
  readonly slots: number;
  /** Train one candidate; null when cancelled. */
  run(candidate: Candidate): Promise<Rnn | null>;
  /** Stop every run in progress (their promises resolve to null). */
  cancelRunning(): Promise<void>;
  close(): Promise<void>;
}

function inProcessRunner(data: TrainingData, options: AttemptOptions): Runner {
  return {
    slots: 1,
    run: async (candidate) => runAttempt(candidate, data, options),
    cancelRunning: async () => {},
    close: async () => {},
  };
}

/** A pool of worker threads, each holding the data once; a cancelled run's worker is replaced. */
function workerRunner(jobs: number, data: TrainingData, options: AttemptOptions): Runner {
  const url = compiledModuleUrl(import.meta.url, "./search-worker.js");
  const spawn = (): Worker => new Worker(url, { workerData: { data, options } });
  const idle: Worker[] = Array.from({ length: jobs }, spawn);
  const busy = new Map<Worker, () => void>();
  let nextId = 0;
  return {
    slots: jobs,
    run: (candidate) =>
      new Promise<Rnn | null>((resolveRun, rejectRun) => {
        const worker = idle.pop()!;
        const id = nextId++;
        const settle = (): void => {
          worker.off("message", onMessage);
          worker.off("error", onError);
          busy.delete(worker);
        };
        const onMessage = (message: { id: number; rnn?: Rnn; error?: string }): void => {
          if (message.id !== id) return;
          settle();
          idle.push(worker);
          if (message.error !== undefined) rejectRun(new Error(message.error));
          else resolveRun(message.rnn!);
        };
        const onError = (error: Error): void => {
          settle();
          rejectRun(error);
        };
        busy.set(worker, () => {
          settle();
          resolveRun(null);
        });
        worker.on("message", onMessage);
        worker.on("error", onError);
        worker.postMessage({ id, candidate });
      }),
    cancelRunning: async () => {
      const running = [...busy.entries()];
      for (const [worker, cancel] of running) {
        cancel();
        await worker.terminate();
        idle.push(spawn());
      }
    },
    close: async () => {
      const all = [...idle, ...busy.keys()];
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

/** The search as a table: one row per attempt, `>>>>` marking the winner. */
export function formatSearch(result: SearchResult): string {
  const header = ["", "hidden", "family", "f/g depth", "encoding", "head", "params", "seed", "held-out", "steps", "s"];
  const winner = result.winnerIndex;
  const rows = result.trace.map((a, i) => [
    i === winner ? ">>>>" : "",
    String(a.hiddenSize),
    a.family,
    `${a.transitionDepth}/${a.readoutDepth}`,
    a.encoding,
    a.head,
    String(a.params),
    String(a.seed),
    `${(a.heldOutAccuracy * 100).toFixed(3)}%`,
    String(a.steps),
    a.seconds.toFixed(1),
  ]);
  const verdict = result.perfect
    ? `perfect: hidden ${result.best!.config.hiddenSize}, ${result.trace[winner]!.family}, ${result.trace[winner]!.params} parameters`
    : `not perfect (${result.stopReason}); best held-out accuracy ${((result.best?.training?.heldOutAccuracy ?? 0) * 100).toFixed(3)}%`;
  return [...formatTextTable(header, rows), `${verdict}; ${result.trace.length} attempts, ${result.steps} steps (${result.work.toFixed(1)} reference s of training work), ${result.seconds.toFixed(1)} s`].join("\n");
}
