/**
 * Finite states by exploration: start at h_{-1} = 0, apply the network's transition to every input
 * symbol, breadth first, and merge each new hidden state into an existing one within an L∞
 * tolerance, until no new state appears. Each state keeps the first hidden vector that reached it
 * (its representative), and the network steps from representatives, so drift along long sequences
 * cannot accumulate; whether the result is right is decided by the held-out check, not here.
 *
 * Exploration stops at `maxDepth` steps (the longest sequence in the data): a counter's states never
 * close (Evens_Counter counts up forever), but only the first maxDepth steps are ever read; states
 * first reached at that depth keep unknown successors, which minimisation treats as don't-cares.
 */
import { headOutputs, nextHidden, predict } from "../rnn/reference.js";
import type { Rnn } from "../rnn/types.js";
import type { Step } from "../task/types.js";
import type { FiniteTable } from "./finite-table.js";

export interface Exploration {
  readonly table: FiniteTable;
  /** The representative hidden vector of each state. */
  readonly centres: number[][];
}

export type ExplorationFailure = { readonly reason: "too_many_states" | "time_limit"; readonly detail: string };

export function exploreStates(
  rnn: Rnn,
  alphabet: readonly Step[],
  options: { readonly tolerance: number; readonly maxStates: number; readonly maxDepth: number },
): { ok: true; value: Exploration } | { ok: false; failure: ExplorationFailure } {
  const { tolerance, maxStates, maxDepth } = options;
  const a = alphabet.length;
  const centres: number[][] = [new Array<number>(rnn.config.hiddenSize).fill(0)];
  const outputs: (Step | null)[] = [null];
  const depth: number[] = [0];
  const next: number[] = [];
  const index = new NeighbourIndex(tolerance);
  index.add(centres[0]!, 0);
  for (let s = 0; s < centres.length; s++) {
    if (depth[s]! >= maxDepth) {
      for (let k = 0; k < a; k++) next[s * a + k] = -1;
      continue;
    }
    for (let k = 0; k < a; k++) {
      const h = nextHidden(rnn, centres[s]!, alphabet[k]!);
      let t = index.find(h, centres);
      if (t < 0) {
        if (centres.length >= maxStates) {
          return { ok: false, failure: { reason: "too_many_states", detail: `more than ${maxStates} states at tolerance ${tolerance}` } };
        }
        t = centres.length;
        centres.push(h);
        depth.push(depth[s]! + 1);
        outputs.push(predict(rnn.config.head, headOutputs(rnn, h)));
        index.add(h, t);
      } else if (outputs[t] === null) {
        // The initial state, reached again: now its output is observed.
        outputs[t] = predict(rnn.config.head, headOutputs(rnn, centres[t]!));
      }
      next[s * a + k] = t;
    }
  }
  return { ok: true, value: { table: { alphabet, size: centres.length, next: Int32Array.from(next), outputs }, centres } };
}

/** Points bucketed by their first coordinate on a grid of the tolerance: a lookup scans 3 buckets. */
class NeighbourIndex {
  private readonly buckets = new Map<number, number[]>();
  constructor(private readonly tolerance: number) {}

  add(h: readonly number[], id: number): void {
    const key = this.cell(h);
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(id);
    else this.buckets.set(key, [id]);
  }

  /** The first stored point within the tolerance (L∞) of h, or −1. */
  find(h: readonly number[], points: readonly (readonly number[])[]): number {
    const c = this.cell(h);
    let best = -1;
    for (const key of [c - 1, c, c + 1]) {
      for (const id of this.buckets.get(key) ?? []) {
        if ((best < 0 || id < best) && withinLinf(h, points[id]!, this.tolerance)) best = id;
      }
    }
    return best;
  }

  private cell(h: readonly number[]): number {
    return h.length === 0 ? 0 : Math.floor(h[0]! / this.tolerance);
  }
}

function withinLinf(a: readonly number[], b: readonly number[], tolerance: number): boolean {
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > tolerance) return false;
  return true;
}
