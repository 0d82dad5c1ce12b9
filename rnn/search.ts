/**
 * Architecture search: the smallest network that is perfect (100% on held-out data).
 * Candidates run in canonical order (rnn/candidates.ts) on `jobs` worker threads; the winner is the
 * first perfect candidate in that order, so the result does not depend on timing: a later candidate
 * that finishes first waits until every earlier one has failed.
 */
import { Worker } from "node:worker_threads";
import { compiledModuleUrl } from "../common/compiled-url.js";
import type { Dataset } from "../task/types.js";
import { runAttempt, type AttemptData, type AttemptOptions } from "./attempt.js";
import { defaultSearchSpace, searchCandidates, type Candidate, type FamilyName, type SearchSpace } from "./candidates.js";
import type { KernelChoice } from "./kernels.js";
import { parameterCount } from "./params.js";
import type { Rnn } from "./types.js";

export interface SearchOptions {
  readonly seed: number;
  /** Worker threads; 1 runs in-process. */
  readonly jobs: number;
  readonly kernel?: KernelChoice;
  readonly batchSize?: number;
  readonly space?: Partial<SearchSpace>;
  /** Safety net: stop dispatching new candidates after this long (the report says it fired). */
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
  readonly seconds: number;
  readonly stopReason: string;
}

export type SearchStopReason = "found" | "exhausted" | "time_limit";

export interface SearchResult {
  readonly kind: "search";
  readonly version: 1;
  /** The winning network, or the most accurate one when none is perfect. */
  readonly best: Rnn | null;
  readonly perfect: boolean;
  readonly stopReason: SearchStopReason;
  readonly trace: readonly Attempt[];
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
    seconds: record.seconds,
    stopReason: record.stopReason,
  };
}

export async function searchArchitecture(dataset: Dataset, options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const space = { ...defaultSearchSpace, ...options.space };
  const candidates = searchCandidates(dataset, space, options.seed);
  const data: AttemptData = { train: dataset.train, heldOut: dataset.test };
  const attemptOptions: AttemptOptions = { kernel: options.kernel ?? "auto", batchSize: options.batchSize ?? 256 };
  const runner = options.jobs <= 1 ? inProcessRunner(data, attemptOptions) : workerRunner(options.jobs, data, attemptOptions);

  const results: Array<Rnn | undefined> = new Array(candidates.length);
  let next = 0;
  let winner = -1;
  let timedOut = false;
  const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs;

  // The first perfect index whose predecessors have all finished ends the search.
  const settledWinner = (): number => {
    for (let i = 0; i < candidates.length; i++) {
      const rnn = results[i];
      if (rnn === undefined) return -1;
      if (rnn.training!.perfect) return i;
    }
    return -1;
  };

  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      let running = 0;
      const dispatch = (): void => {
        if (winner >= 0) return;
        while (running < runner.slots && next < candidates.length) {
          if (performance.now() > deadline) {
            timedOut = true;
            break;
          }
          const index = next++;
          running++;
          runner.run(candidates[index]!).then(
            (rnn) => {
              running--;
              results[index] = rnn;
              options.onAttempt?.(summariseAttempt(candidates[index]!, rnn), index, candidates.length);
              winner = settledWinner();
              // Once some candidate is perfect, later ones are never needed.
              const firstPerfect = results.findIndex((r) => r?.training!.perfect);
              if (firstPerfect >= 0 && next > firstPerfect) next = candidates.length;
              if (winner >= 0 || (running === 0 && next >= candidates.length) || (running === 0 && timedOut)) resolveAll();
              else dispatch();
            },
            (error: unknown) => rejectAll(error),
          );
        }
        if (running === 0) resolveAll();
      };
      dispatch();
    });
  } finally {
    await runner.close();
  }

  const trace: Attempt[] = [];
  results.forEach((rnn, i) => {
    if (rnn) trace.push(summariseAttempt(candidates[i]!, rnn));
  });
  let best: Rnn | null = winner >= 0 ? results[winner]! : null;
  if (!best) {
    for (const rnn of results) {
      if (rnn && (!best || rnn.training!.heldOutAccuracy > best.training!.heldOutAccuracy)) best = rnn;
    }
  }
  return {
    kind: "search",
    version: 1,
    best,
    perfect: winner >= 0,
    stopReason: winner >= 0 ? "found" : timedOut ? "time_limit" : "exhausted",
    trace,
    seconds: (performance.now() - started) / 1000,
  };
}

interface Runner {
  readonly slots: number;
  run(candidate: Candidate): Promise<Rnn>;
  close(): Promise<void>;
}

function inProcessRunner(data: AttemptData, options: AttemptOptions): Runner {
  return {
    slots: 1,
    run: async (candidate) => runAttempt(candidate, data, options),
    close: async () => {},
  };
}

/** A fixed pool of worker threads, each holding the data once. */
function workerRunner(jobs: number, data: AttemptData, options: AttemptOptions): Runner {
  const url = compiledModuleUrl(import.meta.url, "./search-worker.js");
  const idle: Worker[] = [];
  const all: Worker[] = [];
  for (let i = 0; i < jobs; i++) {
    const worker = new Worker(url, { workerData: { data, options } });
    all.push(worker);
    idle.push(worker);
  }
  let nextId = 0;
  return {
    slots: jobs,
    run: (candidate) =>
      new Promise<Rnn>((resolveRun, rejectRun) => {
        const worker = idle.pop()!;
        const id = nextId++;
        const onMessage = (message: { id: number; rnn?: Rnn; error?: string }): void => {
          if (message.id !== id) return;
          worker.off("message", onMessage);
          worker.off("error", onError);
          idle.push(worker);
          if (message.error !== undefined) rejectRun(new Error(message.error));
          else resolveRun(message.rnn!);
        };
        const onError = (error: Error): void => rejectRun(error);
        worker.on("message", onMessage);
        worker.on("error", onError);
        worker.postMessage({ id, candidate });
      }),
    close: async () => {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

/** The search as a table: one row per attempt, `>>>>` marking the winner. */
export function formatSearch(result: SearchResult): string {
  const header = ["", "hidden", "family", "f/g depth", "encoding", "head", "params", "seed", "held-out", "steps", "s"];
  const winner = result.perfect ? result.trace.findIndex((a) => a.perfect) : -1;
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const verdict = result.perfect
    ? `perfect: hidden ${result.best!.config.hiddenSize}, ${result.trace[winner]!.family}, ${result.trace[winner]!.params} parameters`
    : `not perfect (${result.stopReason}); best held-out accuracy ${((result.best?.training?.heldOutAccuracy ?? 0) * 100).toFixed(3)}%`;
  return [line(header), ...rows.map(line), `${verdict}; ${result.trace.length} attempts in ${result.seconds.toFixed(1)} s`].join("\n");
}
