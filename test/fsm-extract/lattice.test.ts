import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../common/random.js";
import { type LatticeFit, type LatticeOptions, bestLattice, fitLattices } from "../../fsm-extract/lattice.js";
import { hermiteNormalForm } from "../../fsm-extract/lll.js";

// ---------------------------------------------------------------- building lattices by hand

type Matrix = number[][];

const matMul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
const affine = (z: number[], basis: Matrix, offset: number[]): number[] => offset.map((o, j) => o + z.reduce((s, zi, i) => s + zi * basis[i]![j]!, 0));

/** ‖b*_i‖ of the rows, for keeping random bases well-conditioned. */
function heights(rows: Matrix): number[] {
  const ortho: Matrix = [];
  return rows.map((v) => {
    let r = v.slice();
    for (const q of ortho) {
      const c = r.reduce((s, x, j) => s + x * q[j]!, 0) / q.reduce((s, x) => s + x * x, 0);
      r = r.map((x, j) => x - c * q[j]!);
    }
    ortho.push(r);
    return Math.sqrt(r.reduce((s, x) => s + x * x, 0));
  });
}

/** A random rank × dim basis with rows of norm about 1 and every Gram–Schmidt height ≥ 0.3. */
function randomBasis(rng: Random, rank: number, dim: number): Matrix {
  for (;;) {
    const a = Array.from({ length: rank }, () => Array.from({ length: dim }, () => rng.normal() / Math.sqrt(dim)));
    if (Math.min(...heights(a)) >= 0.3 && Math.min(...heights([...a].reverse())) >= 0.3) return a;
  }
}

interface Planted {
  readonly basis: Matrix;
  readonly offset: number[];
  readonly codes: number[][];
  readonly points: number[][];
}

/** Points z·A + b + noise (|noise| ≤ 1e-6) with random integer codes |z| ≤ 20. */
function plant(seed: number, rank: number, dim: number, count: number): Planted {
  const rng = new Random(seed);
  const basis = randomBasis(rng, rank, dim);
  const offset = Array.from({ length: dim }, () => rng.normal());
  const codes = Array.from({ length: count }, () => Array.from({ length: rank }, () => rng.int(-20, 20)));
  const points = codes.map((z) => affine(z, basis, offset).map((x) => x + (rng.next() * 2 - 1) * 1e-6));
  return { basis, offset, codes, points };
}

/** Solve x·M = y for a square M (Gaussian elimination on the transpose). */
function solveLeft(y: number[], m: Matrix): number[] {
  const n = m.length;
  const a = m[0]!.map((_, j) => [...m.map((row) => row[j]!), y[j]!]);
  const rows = a.slice(0, n);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(rows[r]![c]!) > Math.abs(rows[p]![c]!)) p = r;
    [rows[c], rows[p]] = [rows[p]!, rows[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = rows[r]![c]! / rows[c]![c]!;
      rows[r] = rows[r]!.map((x, j) => x - f * rows[c]![j]!);
    }
  }
  return rows.map((row, i) => row[n]! / row[i]!);
}

function determinant(m: Matrix): number {
  const a = m.map((row) => row.slice());
  let det = 1;
  for (let c = 0; c < a.length; c++) {
    let p = c;
    for (let r = c + 1; r < a.length; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (p !== c) [a[c], a[p], det] = [a[p]!, a[c]!, -det];
    det *= a[c]![c]!;
    for (let r = c + 1; r < a.length; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      a[r] = a[r]!.map((x, j) => x - f * a[c]![j]!);
    }
  }
  return det;
}

/** The lattice the planted codes' differences generate, as a real basis: HNF(z_i − z_0)·A. */
function generatedBasis(planted: Planted): Matrix {
  const z0 = planted.codes[0]!;
  const hnf = hermiteNormalForm(planted.codes.map((z) => z.map((x, i) => BigInt(x - z0[i]!))));
  return matMul(hnf.map((row) => row.map(Number)), planted.basis);
}

/**
 * The fit found the expected lattice: its basis is U·expected for an integer U with |det U| = 1
 * (read in the expected basis's own coordinates), and its codes are an integer affine image of the
 * planted ones (z_found·U·H − z_true is one integer vector for every point).
 */
function expectSameLattice(fit: LatticeFit, expected: Matrix, planted: Planted): void {
  expect(fit.basis.length).toBe(expected.length);
  // Coordinates of each found row in the expected basis, by least squares on the Gram system.
  const gram = expected.map((a) => expected.map((b) => a.reduce((s, x, j) => s + x * b[j]!, 0)));
  const u = fit.basis.map((row) => solveLeft(expected.map((a) => a.reduce((s, x, j) => s + x * row[j]!, 0)), gram));
  for (const row of u) for (const x of row) expect(Math.abs(x - Math.round(x))).toBeLessThan(1e-4);
  const uInt = u.map((row) => row.map((x) => Math.round(x)));
  expect(Math.abs(Math.round(determinant(uInt)))).toBe(1);
  matMul(uInt, expected).forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - fit.basis[i]![j]!)).toBeLessThan(1e-4)));
  // Codes: found code z gives z·U in the expected basis's coordinates; back to planted codes via A.
  const inPlanted = matMul(uInt, coordinatesIn(expected, planted.basis));
  const shifts = fit.codes.map((z, p) => matMul([z], inPlanted)[0]!.map((x, i) => x - planted.codes[p]![i]!));
  for (const s of shifts) {
    for (const x of s) expect(Math.abs(x - Math.round(x))).toBeLessThan(1e-6);
    expect(s.map(Math.round)).toEqual(shifts[0]!.map(Math.round));
  }
  expect(fit.codes.every((z) => z.length === expected.length)).toBe(true);
}

/** The integer matrix H with expected = H·planted (expected rows in the planted basis's coordinates). */
function coordinatesIn(expected: Matrix, planted: Matrix): Matrix {
  const gram = planted.map((a) => planted.map((b) => a.reduce((s, x, j) => s + x * b[j]!, 0)));
  return expected.map((row) => solveLeft(planted.map((a) => a.reduce((s, x, j) => s + x * row[j]!, 0)), gram).map(Math.round));
}

function fitOrThrow(points: number[][], options?: LatticeOptions, construction?: LatticeFit["construction"]): LatticeFit {
  const fits = fitLattices(points, options);
  if (!fits.ok) throw new Error(`no lattice: ${fits.failure.map((f) => `${f.reason}: ${f.detail}`).join("; ")}`);
  const fit = construction ? fits.value.find((f) => f.construction === construction) : fits.value[0];
  if (!fit) throw new Error(`no ${construction} fit among ${fits.value.map((f) => f.construction)}`);
  return fit;
}

const plantedCase = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  rank: fc.integer({ min: 1, max: 4 }),
  extraDims: fc.integer({ min: 0, max: 8 }),
  count: fc.integer({ min: 30, max: 120 }),
});

// ---------------------------------------------------------------- (a) planted lattices

describe("fitLattices: planted lattices z·A + b + noise", () => {
  it("recovers the lattice from the generators (linear)", () => {
    fc.assert(
      fc.property(plantedCase, ({ seed, rank, extraDims, count }) => {
        const planted = plant(seed, rank, rank + extraDims, count);
        // Generators: the basis rows, shuffled among integer combinations of them.
        const rng = new Random(seed ^ 0x5eed);
        const mixes = Array.from({ length: 3 }, () => affine(planted.basis.map(() => rng.int(-3, 3)), planted.basis, planted.basis[0]!.map(() => 0)));
        const fit = fitOrThrow(planted.points, { generators: [...mixes, ...planted.basis] }, "linear");
        expectSameLattice(fit, planted.basis, planted);
        expect(fit.maxResidual).toBeLessThan(1e-4);
      }),
      { numRuns: 30 },
    );
  });

  it("recovers the lattice from the points alone (gcd)", () => {
    fc.assert(
      fc.property(plantedCase, ({ seed, rank, extraDims, count }) => {
        const planted = plant(seed, rank, rank + extraDims, count);
        const fit = fitOrThrow(planted.points, {}, "gcd");
        expectSameLattice(fit, generatedBasis(planted), planted);
        expect(fit.maxCoordinateError).toBeLessThan(1e-3);
      }),
      { numRuns: 30 },
    );
  });

  // Found by CI: 45 points of a rank-4 lattice whose differences reach 95 steps. Before the seed
  // was refitted to all differences (a rank test at tolerance 0 always rejected the refit), its
  // error of 2e-5 per step put the longest difference 1.03 tolerances off the lattice.
  it("recovers a rank-4 lattice whose differences are up to 95 steps long (gcd)", () => {
    const planted = plant(1243213512, 4, 4, 45);
    const fit = fitOrThrow(planted.points, {}, "gcd");
    expectSameLattice(fit, generatedBasis(planted), planted);
  });

  it.each([
    [1, 12],
    [3, 11],
    [4, 12],
    [4, 4],
  ])("works above hidden size 10 (rank %i in dimension %i), both constructions", (rank, dim) => {
    const planted = plant(1000 * rank + dim, rank, dim, 150);
    const linear = fitOrThrow(planted.points, { generators: planted.basis }, "linear");
    expectSameLattice(linear, planted.basis, planted);
    const gcd = fitOrThrow(planted.points, {}, "gcd");
    expectSameLattice(gcd, generatedBasis(planted), planted);
  });
});

// ---------------------------------------------------------------- (b) dependent generators

describe("fitLattices: dependent generators", () => {
  it("reduces Newton-style impulse responses W^k·U = U + k·V to the lattice of U and V", () => {
    const rng = new Random(7);
    const n = 6;
    const u = Array.from({ length: n }, () => rng.normal());
    const v = Array.from({ length: n }, () => rng.normal() * 0.5);
    // W = I + V·wᵀ with w·U = 1 and w·V = 0, so W·U = U + V and W·V = V.
    const vv = v.reduce((s, x) => s + x * x, 0);
    const uv = u.reduce((s, x, j) => s + x * v[j]!, 0);
    const wRaw = u.map((x, j) => x - (uv / vv) * v[j]!);
    const wu = wRaw.reduce((s, x, j) => s + x * u[j]!, 0);
    const w = wRaw.map((x) => x / wu);
    const step = (h: number[]): number[] => {
      const wh = w.reduce((s, x, j) => s + x * h[j]!, 0);
      return h.map((x, i) => x + v[i]! * wh);
    };
    const generators: number[][] = [u];
    for (let k = 1; k < 24; k++) generators.push(step(generators[k - 1]!));
    // Run the linear recurrence h_t = W·h_{t−1} + U·x_t from h₋₁ = 0 on random inputs in {0, 1, 2}.
    const points: number[][] = [];
    const codes: number[][] = [];
    for (let s = 0; s < 30; s++) {
      let h = new Array<number>(n).fill(0);
      const inputs: number[] = [];
      for (let t = 0; t < 10; t++) {
        const x = rng.int(0, 2);
        inputs.push(x);
        h = step(h).map((hi, i) => hi + u[i]! * x);
        points.push(h);
        // h_t = Σ_k x_{t−k}·(U + k·V): codes (Σ x, Σ k·x) in the basis (U, V).
        codes.push([inputs.reduce((a, xi) => a + xi, 0), inputs.reduce((a, xi, j) => a + (t - j) * xi, 0)]);
      }
    }
    const planted: Planted = { basis: [u, v], offset: new Array<number>(n).fill(0), codes, points };
    const linear = fitOrThrow(points, { generators, origin: planted.offset }, "linear");
    expectSameLattice(linear, [u, v], planted);
    expect(linear.maxResidual).toBeLessThan(1e-9);
    const gcd = fitOrThrow(points, { origin: planted.offset }, "gcd");
    expectSameLattice(gcd, generatedBasis(planted), planted);
  });

  it("snaps rational relations: 2a, 3a and 5b generate a and 5b", () => {
    const fit = fitOrThrow([[0, 0], [1, 0], [0, 5], [-2, 5]], { generators: [[2, 0], [3, 0], [0, 5]] }, "linear");
    expect(fit.basis).toEqual([[1, 0], [0, 5]]);
    expect(fit.codes).toEqual([[0, 0], [1, 0], [0, 1], [-2, 1]]);
  });

  it("refuses a generator that no small denominator explains", () => {
    // (1, 0) and (√2, 0): no lattice; the gcd construction sees too few points to say otherwise.
    const fits = fitLattices([[0, 0], [1, 0], [0, 1]], { generators: [[1, 0], [Math.SQRT2, 0], [0, 1]] });
    expect(fits.ok && fits.value.map((f) => f.construction)).toEqual(["gcd"]);
  });
});

// ---------------------------------------------------------------- (c) the 1-D GCD

describe("fitLattices: the real GCD", () => {
  const expectStep = (points: number[][], step: number[]): void => {
    const fit = fitOrThrow(points, {}, "gcd");
    expect(fit.basis.length).toBe(1);
    fit.basis[0]!.forEach((x, j) => expect(x).toBeCloseTo(step[j]!, 9));
  };

  it("finds a from 2a and 3a", () => expectStep([[0], [0.74], [1.11]], [0.37]));
  it("finds 0.37 from scattered multiples", () => expectStep([7, -5, 12, 0, 30, -14, 9].map((k) => [k * 0.37 + 0.2]), [0.37]));
  // The sign is the one that makes the largest component positive.
  it("finds the step along a direction in 3-D", () => expectStep([4, 10, -6, 15].map((k) => [k * 0.37, k * -0.74, 0.5 + k * 0.111]), [-0.37, 0.74, -0.111]));
});

// ---------------------------------------------------------------- (d) no lattice

describe("fitLattices: points on no lattice", () => {
  it.each([1, 2, 3, 8, 12])("fails on 100 uniform random reals in dimension %i", (dim) => {
    const rng = new Random(dim);
    const points = Array.from({ length: 100 }, () => Array.from({ length: dim }, () => rng.next() * 2 - 1));
    const fits = fitLattices(points);
    expect(fits.ok).toBe(false);
    if (!fits.ok) expect(fits.failure.map((f) => f.reason)).toEqual(["no_lattice"]);
  });

  it("fails when the given generators do not reach the points", () => {
    const rng = new Random(5);
    const points = Array.from({ length: 60 }, () => [rng.next() * 10, rng.next() * 10]);
    const fits = fitLattices(points, { generators: [[1, 0], [0, 1]] });
    expect(fits.ok).toBe(false);
    if (!fits.ok) expect(fits.failure.map((f) => f.reason)).toEqual(["ambiguous_codes", "no_lattice"]);
  });
});

// ---------------------------------------------------------------- (e) rejections

describe("fitLattices: rejections", () => {
  // In each case a last point 3 tolerances from another leaves the points no lattice coarser
  // than the noise, so the gcd construction fails too and both failures are reported.
  it("rejects two far-apart points with one code (collision)", () => {
    const fits = fitLattices([[0, 0], [1, 0], [0, 0.5], [0, 0.503]], { generators: [[1, 0]] });
    expect(fits).toMatchInlineSnapshot(`
      {
        "failure": [
          {
            "detail": "linear construction: points 0 and 2 are 0.500 apart but both get code [0]",
            "reason": "collision",
          },
          {
            "detail": "gcd construction: generator 3 has coordinates (0.997009, 0.00000) in 2 independent generators; with denominators ≤ 12 it misses by 0.00150 > 0.001",
            "reason": "no_lattice",
          },
        ],
        "ok": false,
      }
    `);
  });

  it("rejects coordinates halfway between codes (ambiguous_codes)", () => {
    const fits = fitLattices([[0, 0], [0.5, 0], [0.503, 0]], { generators: [[1, 0]] });
    expect(fits).toMatchInlineSnapshot(`
      {
        "failure": [
          {
            "detail": "linear construction: point 1 has coordinates (0.500), 0.500 from the nearest code",
            "reason": "ambiguous_codes",
          },
          {
            "detail": "gcd construction: generator 1 has coordinates (0.997009) in 1 independent generators; with denominators ≤ 12 it misses by 0.00150 > 0.001",
            "reason": "no_lattice",
          },
        ],
        "ok": false,
      }
    `);
  });

  it("reports an empty input, one state, and too many generators", () => {
    expect(fitLattices([])).toMatchInlineSnapshot(`
      {
        "failure": [
          {
            "detail": "no hidden states to fit",
            "reason": "empty",
          },
        ],
        "ok": false,
      }
    `);
    expect(fitLattices([[1, 2], [1, 2.0001]])).toMatchInlineSnapshot(`
      {
        "failure": [
          {
            "detail": "gcd construction: all points are one state",
            "reason": "no_lattice",
          },
        ],
        "ok": false,
      }
    `);
    const many = Array.from({ length: 1025 }, () => [1]);
    expect(fitLattices([[0], [1]], { generators: many, origin: [0] })).toMatchObject({ ok: true, value: [{ construction: "gcd" }] });
    expect(fitLattices([[0], [0.001]], { generators: many })).toMatchInlineSnapshot(`
      {
        "failure": [
          {
            "detail": "linear construction: 1025 generators, at most 1024",
            "reason": "too_many_generators",
          },
          {
            "detail": "gcd construction: all points are one state",
            "reason": "no_lattice",
          },
        ],
        "ok": false,
      }
    `);
  });

  it("throws on malformed input (a caller bug)", () => {
    expect(() => fitLattices([[0, 0], [1]])).toThrow(RangeError);
    expect(() => fitLattices([[0], [NaN]])).toThrow(RangeError);
    expect(() => fitLattices([[0]], { generators: [[1, 0]] })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- MDL and selection

describe("fitLattices: description length and selection", () => {
  it("counts log2(1 + |z|) + 1 bits per code component", () => {
    const fit = fitOrThrow([[0], [1], [-2]], { generators: [[1]], origin: [0] }, "linear");
    expect(fit.codes).toEqual([[0], [1], [-2]]);
    expect(fit.integerBits).toBeCloseTo(1 + 2 + (Math.log2(3) + 1), 12);
    expect(fit.residualBits).toBe(0);
    expect(fit.bits).toBe(fit.integerBits);
  });

  it("puts the lattice with fewer bits first", () => {
    // Generators of step 0.5 fit integer points with doubled codes; the gcd finds step 1.
    const points = [0, 1, 3, -4, 7].map((k) => [k]);
    const fits = fitLattices(points, { generators: [[0.5]], origin: [0] });
    expect(fits.ok && fits.value.map((f) => [f.construction, f.basis])).toEqual([
      ["gcd", [[1]]],
      ["linear", [[0.5]]],
    ]);
    expect(bestLattice(points, { generators: [[0.5]], origin: [0] })).toMatchObject({ ok: true, value: { construction: "gcd" } });
  });
});

// ---------------------------------------------------------------- (f) determinism

describe("fitLattices: determinism", () => {
  it("gives identical output for identical input", () => {
    const planted = plant(42, 3, 9, 80);
    for (const options of [{}, { generators: planted.basis }]) {
      const first = JSON.stringify(fitLattices(planted.points, options));
      const second = JSON.stringify(fitLattices(planted.points.map((p) => p.slice()), options));
      expect(second).toBe(first);
    }
  });
});
