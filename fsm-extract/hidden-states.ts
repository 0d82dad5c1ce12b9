/**
 * The raw material of extraction: every hidden state the network visits on data, with the input
 * that drove each transition and the output read from the state it led to.
 */
import { runSequence } from "../rnn/reference.js";
import type { Rnn } from "../rnn/types.js";
import type { Example, Step } from "../task/types.js";

/** One sequence as the network ran it. */
export interface HiddenTrace {
  readonly inputs: readonly Step[];
  /** T + 1 states: h_{-1} = 0 first, then h_0 … h_{T-1}; inputs[t] moves hidden[t] to hidden[t + 1]. */
  readonly hidden: readonly (readonly number[])[];
  /** The network's integer prediction read from hidden[t + 1]. */
  readonly predictions: readonly Step[];
}

/** Run the network on every example (targets are not used: the network's own outputs are the truth here). */
export function collectHiddenStates(rnn: Rnn, examples: readonly Example[]): HiddenTrace[] {
  return examples.map((ex) => {
    const run = runSequence(rnn, ex.x);
    return { inputs: ex.x, hidden: run.hidden, predictions: run.predictions };
  });
}

/** Every distinct input step in the traces, sorted lexicographically. */
export function inputAlphabet(traces: readonly { readonly inputs: readonly Step[] }[]): Step[] {
  const seen = new Map<string, Step>();
  for (const trace of traces) for (const x of trace.inputs) seen.set(x.join(","), x);
  return [...seen.values()].sort(compareSteps);
}

/** Lexicographic order on integer vectors (shorter first on a common prefix). */
export function compareSteps(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A map key for an integer vector. */
export const stepKey = (v: readonly number[]): string => v.join(",");
