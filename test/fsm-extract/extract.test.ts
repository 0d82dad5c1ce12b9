import { describe, expect, it } from "vitest";
import { extractMachine } from "../../fsm-extract/extract.js";
import { makeConfig, randomExamples, randomRnn } from "../rnn/helpers.js";
import { addModLine, circularCounter, linearNetwork, randomSequences } from "./networks.js";

describe("extractMachine", () => {
  it("takes the lattice path for a linear shift register and the finite path for a circular counter", () => {
    const shift = linearNetwork([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [[1], [0], [0]], [[1, 1, 1]], [0]);
    const lattice = extractMachine(shift, { train: randomSequences(300, 10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 1), heldOut: randomSequences(2000, 10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2) }, { seed: 0 });
    expect(lattice.ok).toBe(true);
    if (lattice.ok) {
      expect(lattice.value.machine.path).toBe("lattice");
      expect(lattice.value.machine.stateDim).toBe(3);
      // Codes are the last three inputs, up to a unimodular change of basis: check a row's behaviour.
      expect(lattice.value.attempts[0]).toMatchObject({ path: "lattice", exact: true });
    }
    const circle = extractMachine(circularCounter(6), { train: randomSequences(300, 10, [0, 1], 3), heldOut: randomSequences(2000, 10, [0, 1], 4) }, { seed: 0 });
    expect(circle.ok && circle.value.machine.path).toBe("finite");
    expect(circle.ok && circle.value.machine.states.length).toBe(6);
  });

  it("reports a typed failure, never an exception, for networks with no machine (hidden sizes up to 24)", () => {
    for (const hiddenSize of [5, 24]) {
      const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize, transitionDepth: 2, width: 8, inputRange: { min: 0, max: 9 } });
      const rnn = randomRnn(config, hiddenSize, 2.5);
      const data = { train: randomExamples(config, 200, 10, 1, { min: 0, max: 9 }), heldOut: randomExamples(config, 500, 10, 2, { min: 0, max: 9 }) };
      const result = extractMachine(rnn, data, { seed: 0 });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.failure.reason).toBe("no_exact_machine");
        // Both paths were tried and each said why it failed.
        expect(new Set(result.failure.attempts.map((a) => a.path))).toEqual(new Set(["finite", "lattice"]));
        expect(result.failure.attempts.every((a) => a.detail.length > 0)).toBe(true);
      }
    }
  });

  it("handles degenerate networks: a constant state is a one-state machine", () => {
    const still = linearNetwork([[0]], [[0]], [[0]], [2]);
    const result = extractMachine(still, { train: randomSequences(50, 5, [0, 1], 5), heldOut: randomSequences(100, 5, [0, 1], 6) }, { seed: 0 });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.machine.outputs.every((o) => o.output[0] === 2)).toBe(true);
      expect(result.value.machine.states.length).toBeLessThanOrEqual(2);
    }
  });

  it("fails with no_data on empty data", () => {
    const result = extractMachine(addModLine(3), { train: [], heldOut: [] }, { seed: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.reason).toBe("no_data");
  });
});
