import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type IntMatrix, gramSchmidt, hermiteNormalForm, hermiteWithTransform, latticeBasis, lllReduce, lllReduceRational, reduceModulo } from "../../fsm-extract/lll.js";
import { type Rational, compare, div, mul, rational, sub, toNumber } from "../../common/rational.js";

// ---------------------------------------------------------------- independent reference helpers

const toRationals = (m: readonly (readonly bigint[])[]): Rational[][] => m.map((row) => row.map((x) => rational(x)));

function multiply(a: IntMatrix, b: IntMatrix): IntMatrix {
  return a.map((row) => (b[0] ?? []).map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0n)));
}

/** Bareiss fraction-free determinant. */
function determinant(matrix: IntMatrix): bigint {
  const a = matrix.map((row) => row.slice());
  const n = a.length;
  let sign = 1n;
  let previous = 1n;
  for (let k = 0; k < n - 1; k++) {
    if (a[k]![k] === 0n) {
      const swap = a.findIndex((row, i) => i > k && row[k] !== 0n);
      if (swap < 0) return 0n;
      [a[k], a[swap]] = [a[swap]!, a[k]!];
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++)
      for (let j = k + 1; j < n; j++) a[i]![j] = (a[i]![j]! * a[k]![k]! - a[i]![k]! * a[k]![j]!) / previous;
    previous = a[k]![k]!;
  }
  return n === 0 ? 1n : sign * a[n - 1]![n - 1]!;
}

/** Rank by exact elimination over the rationals. */
function rank(rows: IntMatrix): number {
  const { squaredNorms } = gramSchmidt(toRationals(rows));
  return squaredNorms.filter((s) => s.num !== 0n).length;
}

function expectUnimodular(transform: IntMatrix): void {
  expect(transform.every((row) => row.length === transform.length)).toBe(true);
  expect([1n, -1n]).toContain(determinant(transform));
}

/** Size reduction and Lovász's condition, checked with the textbook Gram–Schmidt. */
function expectLllReduced(basis: readonly (readonly Rational[])[]): void {
  const { mu, squaredNorms } = gramSchmidt(basis);
  const half = rational(1n, 2n);
  for (let i = 0; i < basis.length; i++) {
    expect(squaredNorms[i]!.num > 0n).toBe(true);
    for (let j = 0; j < i; j++) {
      const m = mu[i]![j]!;
      expect(compare(m.num < 0n ? rational(-m.num, m.den) : m, half)).toBeLessThanOrEqual(0);
    }
    if (i > 0) {
      const m = mu[i]![i - 1]!;
      const bound = mul(sub(rational(3n, 4n), mul(m, m)), squaredNorms[i - 1]!);
      expect(compare(squaredNorms[i]!, bound)).toBeGreaterThanOrEqual(0);
    }
  }
}

function expectHermite(basis: IntMatrix): void {
  let previousPivot = -1;
  basis.forEach((row, i) => {
    const c = row.findIndex((x) => x !== 0n);
    expect(c).toBeGreaterThan(previousPivot);
    expect(row[c]! > 0n).toBe(true);
    for (let j = 0; j < i; j++) expect(basis[j]![c]! >= 0n && basis[j]![c]! < row[c]!).toBe(true);
    previousPivot = c;
  });
}

// ---------------------------------------------------------------- generators

const entry = fc.bigInt({ min: -40n, max: 40n });
const matrix = (maxRows: number, maxCols: number) =>
  fc.integer({ min: 1, max: maxCols }).chain((n) => fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: 1, maxLength: maxRows }));
const independent = fc
  .integer({ min: 1, max: 7 })
  .chain((n) => fc.integer({ min: 1, max: n }).chain((m) => fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: m, maxLength: m })))
  .filter((rows) => rank(rows) === rows.length);

/** A random unimodular matrix: the identity after random elementary row operations. */
const unimodular = (n: number) =>
  fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.bigInt({ min: -3n, max: 3n }), fc.boolean()), { maxLength: 3 * n }).map((ops) => {
    const u: IntMatrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1n : 0n)));
    for (const [i, j, c, swap] of ops) {
      if (swap) [u[i], u[j]] = [u[j]!, u[i]!];
      else if (i !== j) u[i] = u[i]!.map((x, k) => x + c * u[j]![k]!);
    }
    return u;
  });

// ---------------------------------------------------------------- LLL

describe("lllReduce", () => {
  it("reduces the textbook example", () => {
    // Wikipedia's LLL example: b1 = (1,1,1), b2 = (−1,0,2), b3 = (3,5,6).
    const { basis, transform } = lllReduce([
      [1n, 1n, 1n],
      [-1n, 0n, 2n],
      [3n, 5n, 6n],
    ]);
    expect(basis).toEqual([
      [0n, 1n, 0n],
      [1n, 0n, 1n],
      [-1n, 0n, 2n],
    ]);
    expectUnimodular(transform);
  });

  it("turns a skewed basis of Z² back into unit steps", () => {
    const { basis } = lllReduce([
      [1n, 0n],
      [1000n, 1n],
    ]);
    expect(basis.map((row) => row.map((x) => (x < 0n ? -x : x)))).toEqual([
      [1n, 0n],
      [0n, 1n],
    ]);
  });

  it("gives a reduced basis of the same lattice (basis = T·rows, |det T| = 1)", () => {
    fc.assert(
      fc.property(independent, (rows) => {
        const { basis, transform } = lllReduce(rows);
        expect(multiply(transform, rows)).toEqual(basis);
        expectUnimodular(transform);
        expectLllReduced(toRationals(basis));
      }),
      { numRuns: 200 },
    );
  });

  it("reduces a lattice hidden behind a random unimodular mix", () => {
    fc.assert(
      fc.property(independent.chain((rows) => fc.tuple(fc.constant(rows), unimodular(rows.length))), ([rows, u]) => {
        const mixed = multiply(u, rows);
        const { basis } = lllReduce(mixed);
        expect(hermiteNormalForm(basis)).toEqual(hermiteNormalForm(rows));
        expectLllReduced(toRationals(basis));
      }),
      { numRuns: 100 },
    );
  });

  it("works on rational rows", () => {
    fc.assert(
      fc.property(independent, fc.array(fc.bigInt({ min: 1n, max: 12n }), { minLength: 7, maxLength: 7 }), (rows, dens) => {
        const input = rows.map((row, i) => row.map((x) => rational(x, dens[i]!)));
        const { basis, transform } = lllReduceRational(input);
        expectUnimodular(transform);
        expectLllReduced(basis);
        basis.forEach((row, i) => row.forEach((x, j) => {
          const combination = transform[i]!.reduce((s, t, k) => s.add(t, input[k]![j]!), accumulator());
          expect(combination.value).toEqual(x);
        }));
      }),
      { numRuns: 100 },
    );
  });

  it("throws on dependent rows (a caller bug)", () => {
    expect(() => lllReduce([[1n, 2n], [2n, 4n]])).toThrow(/dependent/);
  });
});

/** A tiny exact accumulator for Σ t_k·x_k in the rational test above. */
function accumulator(value: Rational = rational(0n)): { value: Rational; add(t: bigint, x: Rational): ReturnType<typeof accumulator> } {
  return { value, add: (t, x) => accumulator(sub(value, mul(rational(-t), x))) };
}

// ---------------------------------------------------------------- HNF

describe("hermiteNormalForm", () => {
  const expectHnf = (rows: bigint[][], expected: bigint[][]): void => expect(hermiteNormalForm(rows)).toEqual(expected);

  it("reduces small generator sets by hand", () => {
    // (2,0), (0,3), (1,1) generate all of Z²: 2·(1,1) − (2,0) = (0,2), then (0,3) − (0,2) = (0,1).
    expectHnf([[2n, 0n], [0n, 3n], [1n, 1n]], [[1n, 0n], [0n, 1n]]);
    // Dependent: (4,6) = 2·(2,3), (6,9) = 3·(2,3), and gcd(2,3) = 1.
    expectHnf([[4n, 6n], [6n, 9n]], [[2n, 3n]]);
    // The 1-D GCD: 6 and 15 generate 3Z.
    expectHnf([[6n], [15n], [-9n]], [[3n]]);
    expectHnf([[0n, 0n], [0n, 0n]], []);
    expectHnf([[0n, 4n, 1n], [0n, 2n, 5n]], [[0n, 2n, 5n], [0n, 0n, 9n]]);
  });

  it("is in Hermite normal form, with U·rows = [H; 0] for a unimodular U", () => {
    fc.assert(
      fc.property(matrix(8, 5), (rows) => {
        const { basis, transform, rank: r } = hermiteWithTransform(rows);
        expectHermite(basis);
        expect(basis).toEqual(hermiteNormalForm(rows));
        expect(r).toBe(rank(rows));
        expectUnimodular(transform);
        const product = multiply(transform, rows);
        expect(product.slice(0, r)).toEqual(basis);
        expect(product.slice(r).every((row) => row.every((x) => x === 0n))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("is canonical: any generators of the same lattice give the same HNF", () => {
    fc.assert(
      fc.property(matrix(6, 4).chain((rows) => fc.tuple(fc.constant(rows), unimodular(rows.length))), ([rows, u]) => {
        expect(hermiteNormalForm(multiply(u, rows))).toEqual(hermiteNormalForm(rows));
      }),
      { numRuns: 200 },
    );
  });
});

describe("latticeBasis", () => {
  it("finds the lattice step of rational generators", () => {
    // 2/3 and 1/2 generate (1/6)Z.
    expect(latticeBasis([[rational(2n, 3n)], [rational(1n, 2n)]]).map((row) => row.map((x) => `${x.num}/${x.den}`))).toEqual([["1/6"]]);
  });

  it("gives an LLL-reduced basis of the lattice the dependent generators generate", () => {
    fc.assert(
      fc.property(matrix(8, 5), fc.bigInt({ min: 1n, max: 12n }), (rows, den) => {
        const generators = rows.map((row) => row.map((x) => rational(x, den)));
        const basis = latticeBasis(generators);
        expect(basis.length).toBe(rank(rows));
        expectLllReduced(basis);
        // Same lattice: scaled back to integers, both sides have the same HNF.
        const scaled = basis.map((row) => row.map((x) => (x.num * den) / x.den));
        expect(hermiteNormalForm(scaled)).toEqual(hermiteNormalForm(rows));
      }),
      { numRuns: 200 },
    );
  });
});

describe("reduceModulo", () => {
  it("reduces (7, 100) modulo Z·(0, 1) to (7, 0)", () => {
    expect(reduceModulo([7n, 100n], [[0n, 1n]])).toEqual([7n, 0n]);
  });

  it("stays in the coset and lands in the nearest-plane box |⟨r, b*_j⟩| ≤ ‖b*_j‖²/2", () => {
    fc.assert(
      fc.property(independent, fc.array(fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), { minLength: 7, maxLength: 7 }), (rows, raw) => {
        const v = raw.slice(0, rows[0]!.length);
        const r = reduceModulo(v, rows);
        // v − r is in the lattice: adding it to the generators leaves the HNF unchanged.
        expect(hermiteNormalForm([...rows, v.map((x, i) => x - r[i]!)])).toEqual(hermiteNormalForm(rows));
        const { orthogonal, squaredNorms } = gramSchmidt(toRationals(rows));
        orthogonal.forEach((o, j) => {
          const projection = o.reduce((s, x, i) => s + toNumber(mul(x, rational(r[i]!))), 0);
          expect(Math.abs(toNumber(div(rational(1n), squaredNorms[j]!)) * projection)).toBeLessThanOrEqual(0.5 + 1e-6);
        });
      }),
      { numRuns: 100 },
    );
  });
});
