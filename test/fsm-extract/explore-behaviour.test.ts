import { describe, expect, it } from "vitest";
import { exploreBehaviour, signatureLength } from "../../fsm-extract/explore-behaviour.js";
import { exploreStates } from "../../fsm-extract/explore.js";
import { extractFinite } from "../../fsm-extract/finite-path.js";
import { collectHiddenStates, inputAlphabet } from "../../fsm-extract/hidden-states.js";
import { runSequence } from "../../rnn/reference.js";
import { addModLineScaled, lastInputShifted, randomSequences } from "./networks.js";

const alphabetOf = (k: number): number[][] => Array.from({ length: k }, (_, i) => [i]);
const options = { suffixLength: 2, maxStates: 500, maxDepth: 10, deadline: Infinity };

describe("exploration by behaviour", () => {
  it("fits the longest suffix tree within the node budget, and at least length 1", () => {
    expect(signatureLength(2)).toBe(6); // 2 + 4 + … + 64 = 126; 254 would not fit
    expect(signatureLength(10)).toBe(2); // 110
    expect(signatureLength(14)).toBe(1); // 14 + 196 = 210 would not fit
    expect(signatureLength(500)).toBe(1);
  });

  it("keeps one state per residue when a clock unit moves every state on each step", () => {
    const k = 3;
    const rnn = addModLineScaled(k, 1, true);
    const geometric = exploreStates(rnn, alphabetOf(k), { tolerance: 0.1, maxStates: 500, maxDepth: 10 });
    expect(geometric.ok && geometric.value.table.size).toBe(1 + k * 10); // a state per residue and step
    const explored = exploreBehaviour(rnn, alphabetOf(k), options);
    if (!explored.ok) throw new Error(explored.failure.detail);
    const { table } = explored.value;
    expect(table.size).toBe(k);
    // State j is the residue j: the outputs, and every transition s → (s + x) mod k.
    expect(table.outputs).toEqual([[0], [1], [2]]);
    for (let s = 0; s < k; s++) for (let x = 0; x < k; x++) expect(table.next[s * k + x]).toBe((s + x) % k);
  });

  it("folds the first state that agrees with the initial one on every suffix into it (the initial output is never read)", () => {
    const explored = exploreBehaviour(lastInputShifted(), alphabetOf(2), options);
    if (!explored.ok) throw new Error(explored.failure.detail);
    const { table } = explored.value;
    expect(table.size).toBe(2);
    expect(table.outputs).toEqual([[0], [1]]);
    expect(Array.from(table.next)).toEqual([0, 1, 0, 1]);
  });

  it("stops with a typed failure past maxStates or the deadline", () => {
    const rnn = addModLineScaled(5, 1, false);
    const tooMany = exploreBehaviour(rnn, alphabetOf(5), { ...options, maxStates: 3 });
    expect(!tooMany.ok && tooMany.failure.reason).toBe("too_many_states");
    const late = exploreBehaviour(rnn, alphabetOf(5), { ...options, deadline: 0 });
    expect(!late.ok && late.failure.reason).toBe("time_limit");
  });

  it("gives the finite path a machine where states are closer than every exploration tolerance", () => {
    const k = 5;
    const rnn = addModLineScaled(k, 1e-4, false);
    const alphabet = alphabetOf(k).flat();
    const train = collectHiddenStates(rnn, randomSequences(300, 12, alphabet, 1));
    const heldOut = collectHiddenStates(rnn, randomSequences(2000, 12, alphabet, 2));
    const outcome = extractFinite(rnn, train, heldOut, inputAlphabet(train));
    // Every geometric exploration merges neighbouring residues and fails the check.
    const explores = outcome.tried.filter((t) => t.method.startsWith("explore"));
    expect(explores.length).toBeGreaterThan(0);
    expect(explores.every((t) => !t.exact)).toBe(true);
    expect(outcome.best?.machine.clusters?.method).toBe("behaviour");
    expect(outcome.best?.machine.states.length).toBe(k);
    // The machine and the network agree on fresh, longer sequences.
    const machine = outcome.best!.machine;
    const next = new Map(machine.transitions.map((r) => [`${r.state}|${r.input}`, r.next]));
    const out = new Map(machine.outputs.map((r) => [`${r.state}`, r.output]));
    for (const example of randomSequences(50, 30, alphabet, 3)) {
      let state = machine.initial;
      const ours = example.x.map((x) => {
        state = next.get(`${state}|${x}`)!;
        return [...out.get(`${state}`)!];
      });
      expect(ours).toEqual(runSequence(rnn, example.x).predictions);
    }
  });
});
