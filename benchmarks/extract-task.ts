/**
 * Extraction of one built-in task from its committed model (benchmarks/results/models/<Task>.json):
 * the unit of work of `npm run bench:extract`, run in a worker thread so a slow task can be stopped.
 */
import { existsSync, readFileSync } from "node:fs";
import { extractModel } from "../fsm-extract/pipeline.js";
import type { Machine } from "../fsm-extract/types.js";
import { rnnFromJson } from "../rnn/serialize.js";
import { searchArchitecture } from "../rnn/search.js";
import type { Rnn } from "../rnn/types.js";
import { builtinTask } from "./builtin.js";

export interface ExtractionRow {
  readonly task: string;
  readonly path: "lattice" | "finite" | null;
  /** Finite: number of states; lattice: number of distinct codes seen. */
  readonly states: number | null;
  /** Lattice rank (code length); 1 for finite machines. */
  readonly stateDim: number | null;
  readonly exact: boolean;
  readonly method: string | null;
  /** Whether the network itself was 100% right on held-out data (a machine of an imperfect network does not solve the task). */
  readonly networkPerfect: boolean;
  /** "committed": the model bench:train-all wrote; "retrained": that one was not perfect, so a longer search ran here. */
  readonly model: "committed" | "retrained" | null;
  readonly hiddenSize: number | null;
  readonly normalizedHiddenSize: number | null;
  readonly normalizersKept: readonly string[];
  readonly heldOutSequences: number;
  readonly seconds: number;
  readonly reason: string | null;
}

/**
 * `retrainMs` > 0: when the committed model is missing or not perfect, search again with this time
 * limit (bench:train-all stops each task at 150 s; some finite-state tasks need longer).
 */
export async function extractTask(name: string, modelsDir: string, seed: number, retrainMs: number): Promise<{ row: ExtractionRow; machine: Machine | null }> {
  const started = performance.now();
  const empty = (reason: string, networkPerfect = false): { row: ExtractionRow; machine: null } => ({
    row: { task: name, path: null, states: null, stateDim: null, exact: false, method: null, networkPerfect, model: null, hiddenSize: null, normalizedHiddenSize: null, normalizersKept: [], heldOutSequences: 0, seconds: (performance.now() - started) / 1000, reason },
    machine: null,
  });
  const task = builtinTask(name, { seed });
  if (!task) return empty("unknown task");
  const file = `${modelsDir}${name}.json`;
  let rnn: Rnn | null = null;
  let model: ExtractionRow["model"] = "committed";
  if (existsSync(file)) {
    const parsed = rnnFromJson(readFileSync(file, "utf8"), file);
    if (!parsed.ok) return empty(parsed.failure.message);
    rnn = parsed.value;
  }
  if ((rnn === null || !rnn.training?.perfect) && retrainMs > 0) {
    const search = await searchArchitecture(task.dataset, { seed, jobs: 1, timeLimitMs: retrainMs });
    if (search.perfect) {
      rnn = search.best;
      model = "retrained";
    }
  }
  if (rnn === null) return empty("no trained model");
  const result = extractModel(rnn, task.dataset, { seed });
  const m = result.machine;
  const method = m ? (m.path === "lattice" ? `lattice ${m.lattice!.construction}` : `${m.clusters!.method} ${m.clusters!.parameter}`) : null;
  return {
    row: {
      task: name,
      path: m?.path ?? null,
      states: m?.states.length ?? null,
      stateDim: m?.stateDim ?? null,
      exact: m !== null,
      method,
      networkPerfect: rnn.training?.perfect ?? false,
      model,
      hiddenSize: result.hiddenSize.before,
      normalizedHiddenSize: result.hiddenSize.after,
      normalizersKept: result.normalization.filter((s) => s.kept).map((s) => s.name),
      heldOutSequences: result.check?.sequences ?? 0,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      reason: result.failure ? `${result.failure.reason}: ${result.failure.detail}` : null,
    },
    machine: m,
  };
}
