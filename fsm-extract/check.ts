/**
 * The check every machine must pass: run it on held-out sequences from its initial state and
 * compare its output at every step with the network's prediction.
 */
import type { Step } from "../task/types.js";
import type { HiddenTrace } from "./hidden-states.js";
import { stepKey } from "./hidden-states.js";
import type { MachineCheck, StateCode } from "./types.js";

/** How to run a machine: a step that may fail (an unseen input or transition) with a reason. */
export interface MachineRunner {
  readonly initial: StateCode;
  step(state: StateCode, input: Step): { next: StateCode; output: Step } | { error: string };
}

export function checkMachine(runner: MachineRunner, traces: readonly HiddenTrace[]): MachineCheck {
  let positions = 0;
  for (let i = 0; i < traces.length; i++) {
    const trace = traces[i]!;
    let state = runner.initial;
    for (let t = 0; t < trace.inputs.length; t++) {
      const expected = trace.predictions[t]!;
      const result = runner.step(state, trace.inputs[t]!);
      const got = "error" in result ? null : result.output;
      if (got === null || stepKey(got) !== stepKey(expected)) {
        const reason = "error" in result ? result.error : "output differs from the network's";
        return { sequences: i, positions, exact: false, counterexample: { sequence: i, step: t, input: trace.inputs.slice(0, t + 1), expected, got, reason } };
      }
      positions++;
      state = (result as { next: StateCode }).next;
    }
  }
  return { sequences: traces.length, positions, exact: true };
}
