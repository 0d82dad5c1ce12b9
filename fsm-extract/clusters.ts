/**
 * Finite states by clustering the hidden states seen on data (the second path, for machines whose
 * exploration blows up): k-means for increasing k, each clustering read as a machine from the
 * observed transitions, the smallest k whose machine is consistent (every (state, input) has one
 * successor and every state one output) wins.
 */
import type { Step } from "../task/types.js";
import type { FiniteTable } from "./finite-table.js";
import { symbolIndex } from "./finite-table.js";
import { stepKey, type HiddenTrace } from "./hidden-states.js";
import { closest, kmeans } from "./kmeans.js";
import { describeConflict, type Conflict } from "./types.js";

export interface ClusterMachine {
  readonly table: FiniteTable;
  readonly centres: number[][];
  readonly k: number;
}

/** Why a clustering is not a machine: the first contradiction found. */
export interface Inconsistency {
  readonly k: number;
  readonly detail: string;
}

/** The candidate cluster counts, smallest first. */
export const CLUSTER_COUNTS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 24, 32, 40, 48, 64];

export function clusterMachine(
  traces: readonly HiddenTrace[],
  alphabet: readonly Step[],
  options: { readonly seed: number; readonly maxPoints: number; readonly counts?: readonly number[] },
): { ok: true; value: ClusterMachine } | { ok: false; failure: Inconsistency } {
  const points = samplePoints(traces, options.maxPoints);
  let last: Inconsistency = { k: 0, detail: "no cluster count tried" };
  for (const k of options.counts ?? CLUSTER_COUNTS) {
    if (k > points.length) break;
    const { centres } = kmeans(points, k, options.seed + k);
    const read = readMachine(traces, alphabet, centres);
    if (read.ok) return { ok: true, value: { table: read.table, centres: read.centres, k } };
    last = { k, detail: read.detail };
  }
  return { ok: false, failure: last };
}

/** Every hidden state of the traces (h_{-1} included once), evenly thinned to at most maxPoints. */
function samplePoints(traces: readonly HiddenTrace[], maxPoints: number): number[][] {
  const all: (readonly number[])[] = [];
  traces.forEach((trace, i) => trace.hidden.forEach((h, t) => (i === 0 || t > 0) && all.push(h)));
  const stride = Math.max(1, Math.ceil(all.length / maxPoints));
  return all.filter((_, i) => i % stride === 0).map((h) => h.slice());
}

/** The machine the clusters induce on the traces; state 0 is the cluster of h_{-1} = 0. */
function readMachine(
  traces: readonly HiddenTrace[],
  alphabet: readonly Step[],
  centres: readonly number[][],
): { ok: true; table: FiniteTable; centres: number[][] } | { ok: false; detail: string } {
  const a = alphabet.length;
  const symbols = symbolIndex(alphabet);
  const first = traces[0];
  if (!first) return { ok: false, detail: "no data" };
  // Renumber clusters so that the initial state's cluster is 0.
  const initial = closest(first.hidden[0]!, centres);
  const order = [initial, ...centres.map((_, i) => i).filter((i) => i !== initial)];
  const stateOf = new Int32Array(centres.length);
  order.forEach((c, s) => (stateOf[c] = s));
  const next = new Int32Array(centres.length * a).fill(-1);
  const outputs: (Step | null)[] = new Array(centres.length).fill(null);
  // Where each table entry was first seen (trace index, step), to show a conflict with inputs.
  const nextSeenAt = new Map<number, [number, number]>();
  const outputSeenAt = new Map<number, [number, number]>();
  const prefix = ([i, t]: [number, number]): Step[] => traces[i]!.inputs.slice(0, t + 1);
  for (let i = 0; i < traces.length; i++) {
    const trace = traces[i]!;
    let s = stateOf[closest(trace.hidden[0]!, centres)]!;
    for (let t = 0; t < trace.inputs.length; t++) {
      const k = symbols.get(stepKey(trace.inputs[t]!))!;
      const u = stateOf[closest(trace.hidden[t + 1]!, centres)]!;
      const known = next[s * a + k]!;
      if (known >= 0 && known !== u) {
        const conflict: Conflict = { kind: "transition", state: [s], input: trace.inputs[t]!, values: [[known], [u]], witnesses: [prefix(nextSeenAt.get(s * a + k)!), prefix([i, t])] };
        return { ok: false, detail: describeConflict(conflict) };
      }
      if (known < 0) nextSeenAt.set(s * a + k, [i, t]);
      next[s * a + k] = u;
      const y = trace.predictions[t]!;
      const seen = outputs[u];
      if (seen && stepKey(seen) !== stepKey(y)) {
        const conflict: Conflict = { kind: "output", state: [u], values: [seen, y], witnesses: [prefix(outputSeenAt.get(u)!), prefix([i, t])] };
        return { ok: false, detail: describeConflict(conflict) };
      }
      if (!seen) outputSeenAt.set(u, [i, t]);
      outputs[u] = y;
      s = u;
    }
  }
  return { ok: true, table: { alphabet, size: centres.length, next, outputs }, centres: order.map((c) => centres[c]!) };
}
