/**
 * Finite states by behaviour: explore from h_{-1} = 0 breadth first, as exploreStates does, but two
 * hidden vectors are one state when the network gives the same outputs from them on every input
 * suffix up to a length m (including the empty one: the state's own output). This is the Nerode
 * congruence cut at m, read from the network as an oracle. The initial state's own output is never
 * read (y_t comes after x_t), so the first state that agrees with it on the suffixes joins it.
 *
 * Why: a network whose states drift (the same state settling at points further apart than any
 * useful tolerance) makes the geometric exploration split one state into many — or, at a coarse
 * tolerance, merge two. Behaviour does not drift while the network is right. Each state keeps the
 * first hidden vector with its signature as its representative, and successors are stepped from
 * representatives; the held-out check decides whether the cut at m was long enough.
 *
 * A sibling of exploreStates rather than a mode of it: the breadth-first loop is the same, but the
 * identity here costs a suffix tree per step (hence the deadline), and the initial state is matched
 * on its suffixes alone instead of by position.
 */
import { headOutputs, nextHidden, predict } from "../rnn/reference.js";
import type { Rnn } from "../rnn/types.js";
import type { Step } from "../task/types.js";
import type { Exploration, ExplorationFailure } from "./explore.js";
import { stepKey } from "./hidden-states.js";

/** The suffix tree of one signature has at most this many nodes: m is the longest length that fits. */
export const SIGNATURE_NODES = 200;

/** The suffix length m for an alphabet: Σ_{i=1..m} aⁱ ≤ SIGNATURE_NODES, at least 1. */
export function signatureLength(alphabetSize: number): number {
  let m = 1;
  let nodes = alphabetSize;
  for (let power = alphabetSize * alphabetSize; nodes + power <= SIGNATURE_NODES; power *= alphabetSize) {
    nodes += power;
    m++;
  }
  return m;
}

export function exploreBehaviour(
  rnn: Rnn,
  alphabet: readonly Step[],
  options: { readonly suffixLength: number; readonly maxStates: number; readonly maxDepth: number; readonly deadline: number },
): { ok: true; value: Exploration } | { ok: false; failure: ExplorationFailure } {
  const { suffixLength, maxStates, maxDepth, deadline } = options;
  const a = alphabet.length;
  const output = (h: readonly number[]): Step => predict(rnn.config.head, headOutputs(rnn, h));
  // Every suffix's outputs, depth first in alphabet order (the state's own output is kept apart:
  // the initial state's is never observed).
  const suffixOutputs = (h: readonly number[]): string => {
    const keys: string[] = [];
    const walk = (from: readonly number[], left: number): void => {
      for (const x of alphabet) {
        const next = nextHidden(rnn, from, x);
        keys.push(stepKey(output(next)));
        if (left > 1) walk(next, left - 1);
      }
    };
    walk(h, suffixLength);
    return keys.join("|");
  };
  const centres: number[][] = [new Array<number>(rnn.config.hiddenSize).fill(0)];
  const outputs: (Step | null)[] = [null];
  const depth: number[] = [0];
  const next: number[] = [];
  const stateOf = new Map<string, number>();
  const initialSuffixes = suffixOutputs(centres[0]!);
  for (let s = 0; s < centres.length; s++) {
    if (performance.now() > deadline) {
      return { ok: false, failure: { reason: "time_limit", detail: `the time limit ran out after ${centres.length} states` } };
    }
    if (depth[s]! >= maxDepth) {
      for (let k = 0; k < a; k++) next[s * a + k] = -1;
      continue;
    }
    for (let k = 0; k < a; k++) {
      const h = nextHidden(rnn, centres[s]!, alphabet[k]!);
      const own = output(h);
      const suffixes = suffixOutputs(h);
      const key = `${stepKey(own)}|${suffixes}`;
      let t = stateOf.get(key);
      if (t === undefined && outputs[0] === null && suffixes === initialSuffixes) {
        // The initial state, reached again (its output is a don't-care until now: this fixes it).
        t = 0;
        stateOf.set(key, 0);
        outputs[0] = own;
      }
      if (t === undefined) {
        if (centres.length >= maxStates) {
          return { ok: false, failure: { reason: "too_many_states", detail: `more than ${maxStates} states with distinct outputs on suffixes up to length ${suffixLength}` } };
        }
        t = centres.length;
        stateOf.set(key, t);
        centres.push(h);
        depth.push(depth[s]! + 1);
        outputs.push(own);
      }
      next[s * a + k] = t;
    }
  }
  return { ok: true, value: { table: { alphabet, size: centres.length, next: Int32Array.from(next), outputs }, centres } };
}
