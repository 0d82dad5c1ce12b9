/**
 * A finite Moore machine under construction: states 0…n−1 (0 is the initial state), a partial
 * transition table over a fixed input alphabet, and a partial output per state. "Unknown" entries
 * (−1 transitions, null outputs) are don't-cares: transitions never observed, and the initial
 * state's output, which the network never reads (y_t is read after x_t moved the state).
 */
import type { Step } from "../task/types.js";
import { stepKey } from "./hidden-states.js";

export interface FiniteTable {
  readonly alphabet: readonly Step[];
  readonly size: number;
  /** next[s * alphabet.length + a], or −1 when unknown. */
  readonly next: Int32Array;
  readonly outputs: readonly (Step | null)[];
}

/** The states reachable from state 0, renumbered breadth first (symbols in alphabet order). */
export function reachableRenumbered(table: FiniteTable): { table: FiniteTable; oldOf: number[] } {
  const a = table.alphabet.length;
  const newOf = new Int32Array(table.size).fill(-1);
  const oldOf: number[] = [0];
  newOf[0] = 0;
  for (let i = 0; i < oldOf.length; i++) {
    for (let k = 0; k < a; k++) {
      const t = table.next[oldOf[i]! * a + k]!;
      if (t >= 0 && newOf[t] === -1) {
        newOf[t] = oldOf.length;
        oldOf.push(t);
      }
    }
  }
  const next = new Int32Array(oldOf.length * a);
  oldOf.forEach((old, s) => {
    for (let k = 0; k < a; k++) {
      const t = table.next[old * a + k]!;
      next[s * a + k] = t >= 0 ? newOf[t]! : -1;
    }
  });
  return { table: { alphabet: table.alphabet, size: oldOf.length, next, outputs: oldOf.map((old) => table.outputs[old]!) }, oldOf };
}

/** Index of each alphabet symbol by key. */
export function symbolIndex(alphabet: readonly Step[]): Map<string, number> {
  return new Map(alphabet.map((x, i) => [stepKey(x), i]));
}
