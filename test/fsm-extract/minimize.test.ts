import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { FiniteTable } from "../../fsm-extract/finite-table.js";
import { mergeCompatible, refinePartition } from "../../fsm-extract/minimize.js";

const table = (alphabet: number[], rows: number[][], outputs: (number | null)[]): FiniteTable => ({
  alphabet: alphabet.map((a) => [a]),
  size: rows.length,
  next: Int32Array.from(rows.flat()),
  outputs: outputs.map((o) => (o === null ? null : [o])),
});

/** Outputs along an input word, or null where the machine does not know. */
function run(t: FiniteTable, word: number[]): (number | null)[] {
  let s = 0;
  return word.map((k) => {
    s = s < 0 ? -1 : t.next[s * t.alphabet.length + k]!;
    return s < 0 ? null : (t.outputs[s]?.[0] ?? null);
  });
}

describe("minimisation", () => {
  it("merges equivalent states of a complete machine (parity with duplicated states)", () => {
    // States 0..3: 0 and 2 are "even", 1 and 3 are "odd"; the copies only point at each other.
    const t = table([0, 1], [[2, 1], [3, 0], [0, 3], [1, 2]], [null, 1, 0, 1]);
    const { table: m } = refinePartition(t);
    // The initial state's output is a don't-care, so safe refinement keeps it (and, through it, the
    // odd copy that returns to it) apart; don't-care merging folds both.
    expect(m.size).toBe(4);
    const merged = mergeCompatible(m).table;
    expect(merged.size).toBe(2);
    expect(run(merged, [1, 1, 0, 1])).toEqual([1, 0, 0, 1]);
  });

  it("folds states without successors (last-step states) into the states they behave like", () => {
    // A prefix tree of parity of depth 2: leaves have unknown successors.
    const t = table([0, 1], [[1, 2], [3, 4], [5, 6], [-1, -1], [-1, -1], [-1, -1], [-1, -1]], [null, 0, 1, 0, 1, 1, 0]);
    expect(refinePartition(t).table.size).toBeGreaterThan(2);
    const merged = mergeCompatible(refinePartition(t).table).table;
    expect(merged.size).toBe(2);
    expect(run(merged, [1, 0, 1, 1, 0])).toEqual([1, 1, 0, 1, 1]);
  });

  it("never merges states with different observed outputs", () => {
    const t = table([0], [[1], [2], [0]], [null, 5, 6]);
    expect(mergeCompatible(refinePartition(t).table).table.size).toBe(3);
  });

  it("keeps every observed behaviour (property: minimised machines agree wherever the original is defined)", () => {
    const machine = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.record({
        rows: fc.array(fc.array(fc.integer({ min: -1, max: n - 1 }), { minLength: 2, maxLength: 2 }), { minLength: n, maxLength: n }),
        outputs: fc.array(fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(machine, fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 8 }), { maxLength: 10 }), ({ rows, outputs }, words) => {
        const t = table([0, 1], rows, outputs);
        for (const m of [refinePartition(t).table, mergeCompatible(refinePartition(t).table).table]) {
          expect(m.size).toBeLessThanOrEqual(t.size);
          for (const word of words) {
            const before = run(t, word);
            const after = run(m, word);
            before.forEach((o, i) => {
              if (o !== null) expect(after[i]).toBe(o);
            });
          }
        }
      }),
    );
  });
});
