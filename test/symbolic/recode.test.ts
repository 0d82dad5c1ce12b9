import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Machine } from "../../fsm-extract/types.js";
import { principalOrder, recodings, type Recoding } from "../../symbolic/recode.js";
import { finiteMachine, latticeMachine, randomSequences, runMachine, shuffledStates } from "./machines.js";

const bits = [[0], [1]];
const find = (machine: Machine, name: string): Recoding | undefined => recodings(machine).find((r) => r.name === name);
const names = (machine: Machine): string[] => recodings(machine).map((r) => r.name);

/** Same outputs as the original on random sequences (as far as the original is defined). */
function expectSameBehaviour(original: Machine, recoded: Machine, count = 200, length = 12): void {
  for (const xs of randomSequences(original, count, length)) {
    const expected = runMachine(original, xs);
    expect(runMachine(recoded, xs).slice(0, expected.length), `inputs ${xs.join(" ")}`).toEqual(expected);
  }
}

/** Add_Mod_5 with its states numbered in a shuffled order (state 0 stays the initial state, sum 0). */
function addMod5Shuffled(seed: number): Machine {
  const number = shuffledStates(5, seed);
  const sumOf = (s: number): number => number.indexOf(s);
  const inputs = [0, 1, 2, 3, 4].map((x) => [x]);
  return finiteMachine(5, inputs, (s, x) => number[(sumOf(s) + x[0]!) % 5]!, sumOf);
}

describe("finite re-codings", () => {
  it("by output: Add_Mod_5 numbered arbitrarily becomes the sum mod 5", () => {
    const machine = addMod5Shuffled(3);
    const r = find(machine, "by-output")!;
    for (const row of r.machine.transitions) expect(row.next[0]).toBe((row.state[0]! + row.input[0]!) % 5);
    for (const o of r.machine.outputs) expect(o.output[0]).toBe(o.state[0]);
    expectSameBehaviour(machine, r.machine);
  });

  it("by output: the initial state, whose output is never read, takes a value that keeps the machine deterministic", () => {
    // Parity_Zeros-like with a separate start state 0 (output unknown) that behaves like "even".
    const machine = finiteMachine(3, bits, (s, x) => (x[0] === 1 ? (s === 0 ? 1 : s) : s === 2 ? 1 : 2), (s) => (s === 0 ? null : s === 1 ? 0 : 1));
    const r = find(machine, "by-output")!;
    expect(r.machine.initial).toEqual([0]);
    expect(r.machine.states).toEqual([[0], [1]]);
    expectSameBehaviour(machine, r.machine);
  });

  it("by output is absent when outputs do not determine the state", () => {
    // Bit_Shift_Right: output the previous input; 4 states (start, then the last two inputs).
    const machine = finiteMachine(3, bits, (_s, x) => 1 + x[0]!, (s) => (s === 0 ? null : s - 1));
    expect(names(machine)).toContain("by-output");
    const delayed = finiteMachine(5, bits, (s, x) => 1 + 2 * (s === 0 ? 0 : (s - 1) % 2) + x[0]! , (s) => (s <= 2 ? 0 : 1));
    expect(names(delayed)).not.toContain("by-output");
  });

  it("the last k inputs: a parity-of-the-last-3 machine is a shift register", () => {
    // States: the last three bits as a number (0 before the start).
    const machine = finiteMachine(8, bits, (s, x) => ((s << 1) | x[0]!) & 7, (s) => ((s >> 2) ^ (s >> 1) ^ s) & 1);
    const r = find(machine, "window-3")!;
    expect(r.registerNames).toEqual(["last1", "last2", "last3"]);
    expect(names(machine)).not.toContain("window-2");
    for (const row of r.machine.transitions) expect(row.next).toEqual([row.input[0], row.state[0], row.state[1]]);
    expectSameBehaviour(machine, r.machine);
  });

  it("output and a closed partition: a base-3 adder's states are (carry, digit)", () => {
    // State 3c + d: carry c, output digit d; reading digits (p, q) gives p + q + c.
    const inputs = [0, 1, 2].flatMap((p) => [0, 1, 2].map((q) => [p, q]));
    const step = (s: number, x: readonly number[]): number => {
      const total = x[0]! + x[1]! + Math.floor(s / 3);
      return 3 * Math.floor(total / 3) + (total % 3);
    };
    const number = shuffledStates(6, 11);
    const machine = finiteMachine(6, inputs, (s, x) => number[step(number.indexOf(s), x)]!, (s) => number.indexOf(s) % 3);
    const r = find(machine, "output+partition")!;
    expect(r.description).toMatch(/closed partition of 2 blocks/);
    // Register 0 is the carry block (0 at the start), register 1 the digit.
    for (const row of r.machine.transitions) {
      const total = row.input[0]! + row.input[1]! + row.state[0]!;
      expect(row.next).toEqual([Math.floor(total / 3), total % 3]);
    }
    expectSameBehaviour(machine, r.machine);
  });

  it("binary and one-hot codes: one register per bit or per state", () => {
    const machine = addMod5Shuffled(8);
    const binary = find(machine, "binary(bfs)")!;
    expect(binary.machine.stateDim).toBe(3);
    expect(binary.registerNames).toEqual(["bit0", "bit1", "bit2"]);
    const oneHot = find(machine, "one-hot")!;
    expect(oneHot.machine.stateDim).toBe(5);
    expect(oneHot.machine.initial).toEqual([1, 0, 0, 0, 0]);
    expectSameBehaviour(machine, binary.machine);
    expectSameBehaviour(machine, oneHot.machine);
  });

  it("principal direction: a counter laid out on a line is numbered by its value, the start at 0", () => {
    // Majority-like: the difference d = #1 − #0 in −3..3, clamped; hidden centres 0.5·d plus noise across.
    const ds = [0, -1, 1, -2, 2, -3, 3];
    const state = (d: number): number => ds.indexOf(Math.max(-3, Math.min(3, d)));
    const centres = ds.map((d, i) => [0.5 * d + 0.01 * i, -0.25 * d, 0.001 * i]);
    const machine = finiteMachine(7, bits, (s, x) => state(ds[s]! + 2 * x[0]! - 1), (s) => (ds[s]! > 0 ? 1 : 0), centres);
    expect(principalOrder(machine)).toEqual(ds);
    const r = find(machine, "principal")!;
    expectSameBehaviour(machine, r.machine);
  });

  it("every re-coding of a random machine behaves like it (fast-check)", () => {
    const machines = fc.record({
      n: fc.integer({ min: 1, max: 6 }),
      a: fc.integer({ min: 1, max: 3 }),
      table: fc.array(fc.nat(), { minLength: 18, maxLength: 18 }),
      outputs: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
    });
    fc.assert(
      fc.property(machines, ({ n, a, table, outputs }) => {
        const inputs = Array.from({ length: a }, (_, k) => [k]);
        const machine = finiteMachine(n, inputs, (s, x) => table[s * a + x[0]!]! % n, (s) => outputs[s]!);
        for (const r of recodings(machine)) expectSameBehaviour(machine, r.machine, 30, 8);
      }),
      { numRuns: 60, seed: 2 },
    );
  });
});

describe("lattice re-codings", () => {
  it("offset removed: codes minus the initial code; the encode map carries rows over", () => {
    const alphabet = [0, 1, 2, 3].map((x) => [x]);
    const machine = latticeMachine([99, -3], alphabet, (z, x) => [x[0]! + 99, z[0]! - 102], (z) => [z[0]! + z[1]! - 96]);
    const r = find(machine, "offset-removed")!;
    expect(r.machine.initial).toEqual([0, 0]);
    for (const row of r.machine.transitions) expect(row.next).toEqual([row.input[0], row.state[0]]);
    expect(r.encode!([99, -3])).toEqual([0, 0]);
    expectSameBehaviour(machine, r.machine);
  });

  it("negations of one coordinate and of all, with no −0 in any code", () => {
    const machine = latticeMachine([0], [[0], [1]], (z, x) => [z[0]! - x[0]!], (z) => [-z[0]!]);
    expect(names(machine)).toEqual(["as-extracted", "negate-0"]);
    const r = find(machine, "negate-0")!;
    for (const row of r.machine.transitions) expect(row.next[0]).toBe(row.state[0]! + row.input[0]!);
    expect(r.machine.states.flat().some((x) => Object.is(x, -0))).toBe(false);
    expectSameBehaviour(machine, r.machine);
  });
});
