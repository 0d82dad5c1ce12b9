import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { FiniteTable } from "../../fsm-extract/finite-table.js";
import { mergeCompatible, mergeRedBlue, mergeVerified, refinePartition, type MergeEvidence } from "../../fsm-extract/minimize.js";

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

describe("mergeVerified", () => {
  /** Parity unrolled by depth, as exploration leaves a drifting network: state (d, p) = 1 + 2d + p, depth L last. */
  function unrolledParity(L: number): FiniteTable {
    const rows: number[][] = [[1 + 0, 1 + 1]];
    const outputs: (number | null)[] = [null];
    for (let d = 0; d <= L; d++) {
      for (let p = 0; p < 2; p++) {
        rows.push(d < L ? [1 + 2 * (d + 1) + p, 1 + 2 * (d + 1) + (1 - p)] : [-1, -1]);
        outputs.push(p);
      }
    }
    return table([0, 1], rows, outputs);
  }
  /** Every binary word of length n with the network's outputs (here: parity), as evidence. */
  function parityEvidence(n: number, wrongAt?: string): MergeEvidence {
    const symbols: Int32Array[] = [];
    const outputs: string[][] = [];
    for (let w = 0; w < 2 ** n; w++) {
      const bits = Array.from({ length: n }, (_, t) => (w >> t) & 1);
      let p = 0;
      symbols.push(Int32Array.from(bits));
      outputs.push(bits.map((b, t) => {
        p ^= b;
        return bits.slice(0, t + 1).join("") === wrongAt ? String(1 - p) : String(p);
      }));
    }
    return { symbols, outputs };
  }

  it("folds the depth-unrolled copies into the two parity states, checked on the evidence", () => {
    const t = unrolledParity(6);
    expect(refinePartition(t).table.size).toBeGreaterThan(10);
    const { table: m } = mergeVerified(refinePartition(t).table, parityEvidence(6), undefined, Infinity);
    expect(m.size).toBe(2);
    expect(run(m, [1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1])).toEqual([1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0]);
  });

  it("holds merges to the sequences the unmerged machine reproduces", () => {
    // The evidence answers 0 after "111" where the table says 1: those sequences say nothing about merges.
    const t = unrolledParity(6);
    const { table: m } = mergeVerified(refinePartition(t).table, parityEvidence(6, "111"), undefined, Infinity);
    expect(m.size).toBe(2);
  });

  it("stops at its deadline with only checked merges", () => {
    const safe = refinePartition(unrolledParity(6)).table;
    expect(mergeVerified(safe, parityEvidence(6), undefined, 0).table.size).toBe(safe.size);
  });
});

describe("mergeRedBlue", () => {
  /** The prefix tree of every binary word up to length n, labelled with (number of 1s) mod k. */
  function countTree(n: number, k: number): { tree: FiniteTable; centres: number[][] } {
    const rows: number[][] = [];
    const outputs: (number | null)[] = [];
    const centres: number[][] = [];
    const build = (depth: number, ones: number): number => {
      const id = rows.length;
      rows.push([-1, -1]);
      outputs.push(depth === 0 ? null : ones % k);
      // A drifting "hidden state": the count mod k, pushed a little further each step.
      centres.push([ones % k + depth * 0.01]);
      if (depth < n) rows[id] = [build(depth + 1, ones), build(depth + 1, ones + 1)];
      return id;
    };
    build(0, 0);
    return { tree: table([0, 1], rows, outputs), centres };
  }

  it("folds a prefix tree of 1s-counting mod 3 into the 3-state machine", () => {
    const { tree, centres } = countTree(7, 3);
    expect(tree.size).toBe(2 ** 8 - 1);
    const merged = mergeRedBlue(tree, centres, Infinity);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.value.table.size).toBe(3);
    expect(run(merged.value.table, [1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1])).toEqual([1, 2, 2, 0, 1, 2, 2, 2, 0, 1, 2, 0]);
  });

  it("gives up past its deadline or its number of states", () => {
    const { tree, centres } = countTree(5, 3);
    expect(mergeRedBlue(tree, centres, 0)).toMatchObject({ ok: false });
    expect(mergeRedBlue(tree, centres, Infinity, 2)).toMatchObject({ ok: false, detail: "state merging needs more than 2 states" });
  });
});
