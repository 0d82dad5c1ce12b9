import { describe, expect, it } from "vitest";
import { runSequence } from "../../rnn/reference.js";
import type { Rnn } from "../../rnn/types.js";
import { finiteRunner, extractFinite } from "../../fsm-extract/finite-path.js";
import { collectHiddenStates, inputAlphabet } from "../../fsm-extract/hidden-states.js";
import { exploreStates } from "../../fsm-extract/explore.js";
import { clusterMachine } from "../../fsm-extract/clusters.js";
import type { Machine } from "../../fsm-extract/types.js";
import { addModLine, circularCounter, randomSequences } from "./networks.js";

/** Run a finite Machine value by its transition and output rows. */
function runMachine(machine: Machine, xs: readonly (readonly number[])[]): number[][] {
  const next = new Map(machine.transitions.map((r) => [`${r.state}|${r.input}`, r.next]));
  const out = new Map(machine.outputs.map((r) => [`${r.state}`, r.output]));
  let s = machine.initial;
  return xs.map((x) => {
    s = next.get(`${s}|${x}`)!;
    return [...out.get(`${s}`)!];
  });
}

function traces(rnn: Rnn, alphabet: number[], n: number, seed: number, length = 12) {
  return collectHiddenStates(rnn, randomSequences(n, length, alphabet, seed));
}

describe("finite-state extraction from hand-made networks", () => {
  for (const k of [2, 3, 5, 8]) {
    it(`finds the ${k} states of (s + x) mod ${k} on a line`, () => {
      const rnn = addModLine(k);
      const alphabet = Array.from({ length: k }, (_, i) => i);
      const train = traces(rnn, alphabet, 300, 1);
      const heldOut = traces(rnn, alphabet, 2000, 2);
      const outcome = extractFinite(rnn, train, heldOut, inputAlphabet(train));
      expect(outcome.best).not.toBeNull();
      const machine = outcome.best!.machine;
      expect(machine.states.length).toBe(k);
      expect(outcome.best!.check.exact).toBe(true);
      // The machine computes the sum mod k on fresh sequences, exactly as the network does.
      for (const ex of randomSequences(50, 30, alphabet, 3)) {
        let s = 0;
        const expected = ex.x.map((x) => [(s = (s + x[0]!) % k)]);
        expect(runMachine(machine, ex.x)).toEqual(expected);
        expect(runSequence(rnn, ex.x).predictions).toEqual(expected);
      }
    });
  }

  for (const k of [3, 4, 6, 7]) {
    it(`finds the ${k} states of a circular counter (no lattice exists)`, () => {
      const rnn = circularCounter(k);
      const train = traces(rnn, [0, 1], 300, 4);
      const heldOut = traces(rnn, [0, 1], 2000, 5);
      const outcome = extractFinite(rnn, train, heldOut, inputAlphabet(train));
      expect(outcome.best?.machine.states.length).toBe(k);
      const machine = outcome.best!.machine;
      for (const ex of randomSequences(50, 40, [0, 1], 6)) {
        let s = 0;
        expect(runMachine(machine, ex.x)).toEqual(ex.x.map((x) => [(s = (s + x[0]!) % k)]));
      }
    });
  }

  it("k-means finds the circular counter's states when exploration is not allowed", () => {
    const rnn = circularCounter(5);
    const train = traces(rnn, [0, 1], 300, 7);
    const clustered = clusterMachine(train, inputAlphabet(train), { seed: 1, maxPoints: 5000 });
    expect(clustered.ok).toBe(true);
    if (clustered.ok) expect(clustered.value.k).toBe(5);
    const outcome = extractFinite(rnn, train, traces(rnn, [0, 1], 1000, 8), inputAlphabet(train), { seed: 1, maxStates: 2, maxClusterPoints: 5000, maxMergeStates: 400, maxTreeNodes: 200_000, deadline: Infinity });
    expect(outcome.tried[0]!.detail).toMatch(/more than 2 states/);
    expect(outcome.best?.machine.clusters?.method).toBe("kmeans");
    expect(outcome.best?.machine.states.length).toBe(5);
  });

  it("builds nothing past its deadline and says so", () => {
    const rnn = circularCounter(5);
    const train = traces(rnn, [0, 1], 100, 7);
    const outcome = extractFinite(rnn, train, traces(rnn, [0, 1], 100, 8), inputAlphabet(train), { seed: 1, maxStates: 5000, maxClusterPoints: 5000, maxMergeStates: 400, maxTreeNodes: 200_000, deadline: 0 });
    expect(outcome.best).toBeNull();
    expect(outcome.tried.map((t) => [t.method, t.detail])).toEqual([
      ["explore 0.1", "not tried: the time limit ran out"],
      ["behaviour", "not tried: the time limit ran out"],
      ["kmeans", "not tried: the time limit ran out"],
      ["merge", "not tried: the time limit ran out"],
    ]);
  });

  it("a clustering that is not a machine is reported with the input sequences that show the conflict", () => {
    const rnn = circularCounter(5);
    const train = traces(rnn, [0, 1], 100, 13);
    const clustered = clusterMachine(train, inputAlphabet(train), { seed: 1, maxPoints: 2000, counts: [2] });
    expect(clustered.ok).toBe(false);
    if (!clustered.ok) {
      expect(clustered.failure.k).toBe(2);
      expect(clustered.failure.detail).toMatch(/^state \[\d\] (on input \[\d\] goes|outputs) to \[\d\] after inputs [01 ]+ and to \[\d\] after inputs [01 ]+$/);
    }
  });

  it("exploration gives up on a rotation by an irrational angle (infinitely many states)", () => {
    // Rotation by 2π/k with k = 2π: one radian per step never returns.
    const rnn = circularCounter(2 * Math.PI);
    const result = exploreStates(rnn, [[0], [1]], { tolerance: 0.01, maxStates: 300, maxDepth: 1000 });
    expect(result.ok).toBe(false);
  });

  it("is deterministic", () => {
    const rnn = circularCounter(5);
    const train = traces(rnn, [0, 1], 200, 9);
    const heldOut = traces(rnn, [0, 1], 500, 10);
    const a = extractFinite(rnn, train, heldOut, inputAlphabet(train));
    const b = extractFinite(rnn, train, heldOut, inputAlphabet(train));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("the finite runner names an unseen input", () => {
    const rnn = addModLine(3);
    const train = traces(rnn, [0, 1], 100, 11);
    const outcome = extractFinite(rnn, train, traces(rnn, [0, 1], 100, 12), inputAlphabet(train));
    const explored = exploreStates(rnn, inputAlphabet(train), { tolerance: 0.1, maxStates: 100, maxDepth: 1000 });
    expect(explored.ok).toBe(true);
    if (!explored.ok) return;
    const step = finiteRunner(explored.value.table).step([0], [2]);
    expect(step).toEqual({ error: "input [2] never seen during extraction" });
    expect(outcome.best?.machine.states.length).toBe(3);
  });
});
