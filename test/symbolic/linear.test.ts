import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../common/random.js";
import { rational, toString } from "../../common/rational.js";
import { evaluate, formatPython, indexedNames } from "../../symbolic/expr.js";
import { fitAffine, solveAffine } from "../../symbolic/linear.js";
import type { RegressionTable, Variable } from "../../symbolic/types.js";

const names = indexedNames(8, 24);
const s = (index: number): Variable => ({ kind: "state", index });
const x = (index: number): Variable => ({ kind: "input", index });

/** A table over `variables` with one row per value list, the target computed by `f`. */
function table(variables: Variable[], rows: number[][], f: (row: number[]) => number): RegressionTable {
  return { variables, values: rows, targets: rows.map(f) };
}

/** Every combination of values in [lo, hi] for `count` variables. */
function grid(count: number, lo: number, hi: number): number[][] {
  if (count === 0) return [[]];
  return grid(count - 1, lo, hi).flatMap((row) => Array.from({ length: hi - lo + 1 }, (_, i) => [...row, lo + i]));
}

function envOf(t: RegressionTable, r: number): { state: number[]; input: number[] } {
  const env = { state: [] as number[], input: [] as number[] };
  t.variables.forEach((v, i) => ((v.kind === "state" ? env.state : env.input)[v.index] = t.values[r]![i]!));
  return env;
}

function expectFit(t: RegressionTable, text: string): void {
  const fit = fitAffine(t);
  if (!fit.ok) throw new Error(`no fit: ${fit.failure.detail}`);
  expect(formatPython(fit.value.expr, names)).toBe(text);
  t.targets.forEach((target, r) => expect(evaluate(fit.value.expr, envOf(t, r))).toBe(target));
}

function expectNoFit(t: RegressionTable): void {
  const fit = fitAffine(t);
  expect(fit.ok ? formatPython(fit.value.expr, names) : fit.failure.reason).toBe("no_fit");
}

describe("fitAffine: hand-checkable machines", () => {
  const rows3 = grid(3, -3, 3);
  it("recovers Newton-style updates: v' = v + x, p' = p + v + x", () => {
    expectFit(table([s(0), s(1), x(0)], rows3, ([p, v, a]) => v! + a!), "s1 + x0");
    expectFit(table([s(0), s(1), x(0)], rows3, ([p, v, a]) => p! + v! + a!), "s0 + s1 + x0");
  });
  it("recovers a shift register: s0' = x0, s1' = s0", () => {
    const rows = grid(3, 0, 1);
    expectFit(table([s(0), s(1), x(0)], rows, ([, , a]) => a!), "x0");
    expectFit(table([s(0), s(1), x(0)], rows, ([a]) => a!), "s0");
  });
  it("recovers integer coefficients and constants", () => {
    expectFit(table([s(0), x(0)], grid(2, -4, 4), ([a, b]) => 3 * a! - 2 * b! + 7), "3 * s0 - 2 * x0 + 7");
    expectFit(table([s(0), x(0)], grid(2, -4, 4), ([a, b]) => 1 - a! - b!), "1 - s0 - s1".replace("s1", "x0"));
    expectFit(table([s(0), x(0)], grid(2, -4, 4), () => 5), "5");
    expectFit(table([s(0), x(0)], grid(2, -4, 4), () => 0), "0");
  });
  it("writes rational coefficients over a common denominator with //, exact on every row", () => {
    // Rows where s0 + x0 is even: the midpoint.
    const even = grid(2, -5, 5).filter(([a, b]) => (a! + b!) % 2 === 0);
    expectFit(table([s(0), x(0)], even, ([a, b]) => (a! + b!) / 2), "(s0 + x0) // 2");
    const thirds = grid(2, -6, 6).filter(([a, b]) => (2 * a! - b! + 1) % 3 === 0);
    expectFit(table([s(0), x(0)], thirds, ([a, b]) => (2 * a! - b! + 1) / 3), "(2 * s0 - x0 + 1) // 3");
  });
  it("labels constants and affine maps, and counts nodes", () => {
    const constant = fitAffine(table([s(0)], [[1], [2]], () => 4));
    expect(constant.ok && [constant.value.method, constant.value.size]).toEqual(["constant", 1]);
    const linear = fitAffine(table([s(0), x(0)], grid(2, 0, 2), ([a, b]) => 2 * a! + b!));
    expect(linear.ok && [linear.value.method, linear.value.size]).toEqual(["integer-linear", 5]);
  });
  it("fits an empty table with 0", () => {
    expectFit({ variables: [s(0)], values: [], targets: [] }, "0");
  });
});

describe("fitAffine: no affine fit", () => {
  const rows = grid(2, -3, 3);
  it("reports no_fit for x*y, x % 3, max(x, y) and a full adder's carry", () => {
    expectNoFit(table([s(0), x(0)], rows, ([a, b]) => a! * b!));
    expectNoFit(table([s(0), x(0)], rows, ([a]) => ((a! % 3) + 3) % 3));
    expectNoFit(table([s(0), x(0)], rows, ([a, b]) => Math.max(a!, b!)));
    expectNoFit(table([s(0), x(0), x(1)], grid(3, 0, 1), ([a, b, d]) => Math.floor((a! + b! + d!) / 2)));
  });
  it("names the contradicting row", () => {
    const fit = fitAffine(table([s(0), x(0)], [[0, 0], [1, 0], [0, 1], [1, 1]], ([a, b]) => a! * b!));
    expect(fit).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "no affine function of s0, x0 fits: row 3 (s0=1, x0=1 → 1) contradicts earlier rows",
          "reason": "no_fit",
        },
        "ok": false,
      }
    `);
  });
  it("reports inconsistent_rows for equal values with different targets", () => {
    const fit = fitAffine({ variables: [s(0), x(0)], values: [[1, 2], [3, 4], [1, 2]], targets: [5, 6, 7] });
    expect(fit).toMatchInlineSnapshot(`
      {
        "failure": {
          "detail": "rows 0 and 2 have the same values (s0=1, x0=2) but targets 5 and 7",
          "reason": "inconsistent_rows",
        },
        "ok": false,
      }
    `);
  });
});

describe("fitAffine: duplicate and collinear variables", () => {
  const base = grid(2, -3, 3);
  it("gives a duplicated or all-zero variable coefficient 0, keeping the first copy", () => {
    const rows = base.map(([a, b]) => [a!, a!, b!, 0]);
    expectFit(table([s(0), s(1), x(0), x(1)], rows, ([a, , b]) => a! + b!), "s0 + x0");
  });
  it("prefers the fewest terms, then the smallest integers", () => {
    // s1 = 2·s0 on every row: 2·s0 and s1 both fit; s1 has the smaller coefficient.
    const doubled = base.map(([a, b]) => [a!, 2 * a!, b!]);
    expectFit(table([s(0), s(1), x(0)], doubled, ([a, , b]) => 2 * a! + b!), "s1 + x0");
    // One-hot inputs: x0 + x1 = 1, so x0 = 1 - x1 and x0 - x1 = 2·x0 - 1 = 1 - 2·x1.
    const oneHot = [[1, 0], [0, 1]];
    expectFit(table([x(0), x(1)], oneHot, ([a]) => a!), "x0");
    expectFit(table([x(0), x(1)], oneHot, ([, b]) => 1 - b!), "x0");
    expectFit(table([x(0), x(1)], oneHot, ([a, b]) => a! - b!), "x0 - x1");
    // A constant target and a constant variable: the constant comes first on a tie.
    expectFit(table([s(0), x(0)], [[1, 1], [1, 2]], () => 1), "1");
  });
  it("does not depend on the order of rows", () => {
    const rows = base.map(([a, b]) => [a!, 2 * a!, b!, a! - b!]);
    const t = table([s(0), s(1), x(0), x(1)], rows, ([a, , b]) => 3 * a! - b! + 1);
    const shuffled = new Random(7).shuffle(rows.map((_, i) => i));
    const u = { variables: t.variables, values: shuffled.map((i) => t.values[i]!), targets: shuffled.map((i) => t.targets[i]!) };
    const [a, b] = [fitAffine(t), fitAffine(u)];
    expect(a.ok && b.ok && formatPython(b.value.expr, names)).toBe(a.ok && formatPython(a.value.expr, names));
  });
  it("says whether the choice among solutions was unique, exhaustive or cut off", () => {
    const unique = solveAffine(table([s(0)], [[0], [1]], ([a]) => a!));
    expect(unique.ok && unique.value.search).toBe("unique");
    // One row: 3, 3·s0, s0 + s1, … all fit; the constant has the fewest terms.
    const few = solveAffine(table([s(0), s(1)], [[1, 2]], () => 3));
    expect(few.ok && [few.value.search, toString(few.value.constant), few.value.coefficients.map(toString)]).toEqual(["exhaustive", "3", ["0", "0"]]);
    const limited = solveAffine(table([s(0), s(1), s(2)], [[1, 2, 4]], () => 3), { maxBasisCandidates: 1 });
    expect(limited.ok && limited.value.search).toBe("candidate_limit");
  });
});

describe("solveAffine: the two searches for the sparsest solution", () => {
  it("finds a one-variable target among 10 random variables by trying small supports first", () => {
    const random = new Random(5);
    const rows = Array.from({ length: 3 }, () => Array.from({ length: 10 }, () => random.int(-9, 9)));
    const t = table(Array.from({ length: 10 }, (_, i) => x(i)), rows, (row) => row[3]!);
    // 11 columns, null space of dimension 8: C(11, 8) = 165 bases, more than 50, so supports of size 0, 1, … are tried.
    const bySupport = solveAffine(t, { maxBasisCandidates: 50 });
    const byBasis = solveAffine(t);
    expect(bySupport.ok && [bySupport.value.search, bySupport.value.coefficients.map(toString).join(" ")]).toEqual(["exhaustive", "0 0 0 1 0 0 0 0 0 0"]);
    expect(byBasis.ok && byBasis.value.search).toBe("exhaustive");
    expect(byBasis.ok && byBasis.value.coefficients.map(toString).join(" ")).toBe("0 0 0 1 0 0 0 0 0 0");
  });

  it("agree whenever both are exhaustive", () => {
    const problems = fc.integer({ min: 2, max: 6 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        numerators: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n + 1, maxLength: n + 1 }),
        rows: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 5 }),
      }));
    fc.assert(
      fc.property(problems, ({ n, numerators, rows }) => {
        const t = table(Array.from({ length: n }, (_, i) => s(i)), rows, (row) => numerators[0]! + row.reduce((sum, v, i) => sum + numerators[i + 1]! * v, 0));
        const byBasis = solveAffine(t, { maxBasisCandidates: 10_000 });
        // A small maxBasisCandidates forces the support search when there are more bases; it may then run out.
        const limited = [3, 10, 20].map((maxBasisCandidates) => solveAffine(t, { maxBasisCandidates }));
        const text = (r: typeof byBasis): string => (r.ok ? `${r.value.search} ${[r.value.constant, ...r.value.coefficients].map(toString).join(" ")}` : r.failure.reason);
        if (!byBasis.ok || byBasis.value.search === "unique") return true;
        return limited.every((r) => !r.ok || r.value.search !== "exhaustive" || text(r) === text(byBasis));
      }),
      { numRuns: 300 },
    );
  });
});

describe("fitAffine: random affine maps", () => {
  const rowsOf = (n: number) => fc.array(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 30 });
  const problems = fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      numerators: fc.array(fc.integer({ min: -6, max: 6 }), { minLength: n + 1, maxLength: n + 1 }),
      denominator: fc.integer({ min: 1, max: 4 }),
      rows: rowsOf(n),
    }));

  it("reproduces every row, with integer and rational coefficients", () => {
    fc.assert(
      fc.property(problems, ({ n, numerators, denominator, rows }) => {
        const numerator = (row: number[]): number => numerators[0]! + row.reduce((sum, v, i) => sum + numerators[i + 1]! * v, 0);
        const exact = rows.filter((row) => numerator(row) % denominator === 0);
        const variables = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? s(i) : x(i)));
        const t = table(variables, exact, (row) => numerator(row) / denominator);
        const fit = fitAffine(t);
        if (!fit.ok) return false;
        return t.targets.every((target, r) => evaluate(fit.value.expr, envOf(t, r)) === target);
      }),
      { numRuns: 300 },
    );
  });

  it("recovers the coefficients themselves when the rows pin them down", () => {
    fc.assert(
      fc.property(problems, ({ n, numerators, denominator }) => {
        // Rows {0, d}ⁿ span the affine space, and a/d·(d·b) is an integer.
        const rows = grid(n, 0, 1).map((row) => row.map((v) => v * denominator));
        const variables = Array.from({ length: n }, (_, i) => s(i));
        const t = table(variables, rows, (row) => (numerators[0]! * denominator + row.reduce((sum, v, i) => sum + numerators[i + 1]! * v, 0)) / denominator);
        const solved = solveAffine(t);
        if (!solved.ok) return false;
        const expected = numerators.map((k, i) => toString(i === 0 ? rational(k) : rational(k, denominator)));
        return solved.value.search === "unique" && [solved.value.constant, ...solved.value.coefficients].map(toString).join() === expected.join();
      }),
      { numRuns: 100 },
    );
  });
});

describe("fitAffine: speed", () => {
  it("fits 5,000 rows of 20 variables, some collinear, in well under a second", () => {
    const random = new Random(11);
    const rows = Array.from({ length: 5000 }, () => {
      const free = Array.from({ length: 16 }, () => random.int(-50, 50));
      // Four collinear columns: a copy, a multiple, a sum and a constant. x18 = s2 + s3 is the sparser choice.
      return [...free, free[0]!, 3 * free[1]!, free[2]! + free[3]!, 1];
    });
    const variables = Array.from({ length: 20 }, (_, i) => (i < 8 ? s(i) : x(i)));
    const t = table(variables, rows, (row) => 2 * row[0]! - row[5]! + 4 * row[11]! + row[18]! - 9);
    const start = performance.now();
    const fit = fitAffine(t);
    const elapsedMs = performance.now() - start;
    expect(fit.ok && formatPython(fit.value.expr, names)).toBe("2 * s0 + 4 * x11 + x18 - s5 - 9");
    expect(elapsedMs).toBeLessThan(1500);
    const notAffine = fitAffine({ ...t, targets: rows.map((row) => row[0]! * row[1]!) });
    expect(notAffine.ok).toBe(false);
  });
});
