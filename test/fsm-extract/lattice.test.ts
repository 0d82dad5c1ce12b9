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
  const rows = expected.length;
  // Coordinates of each found row in the expected basis, by least squares on the Gram system.
  const gram = expected.map((a) => expected.map((b) => a.reduce((s, x, j) => s + x * b[j]!, 0)));
  const u = fit.basis.map((row) => solveLeft(expected.map((a) => a.reduce((s, x, j) => s + x * row[j]!, 0)), gram));
  for (const row of u) for (const x of row) expect(Math.abs(x - Math.round(x))).toBeLessThan(1e-4);
  const uInt = u.map((row) => row.map((x) => Math.round(x)));
  expect(Math.abs(Math.round(determinant(uInt)))).toBe(1);
  // Codes: found code z gives z·U in the expected basis's coordinates; back to planted codes via A.
  const inPlanted = matMul(uInt, coordinatesIn(expected, planted.basis));
  const shifts = fit.codes.map((z, p) => matMul([z], inPlanted)[0]!.map((x, i) => x - planted.codes[p]![i]!));
  for (const s of shifts) {
    for (const x of s) expect(Math.abs(x - Math.round(x))).toBeLessThan(1e-6);
    expect(s.map(Math.round)).toEqual(shifts[0]!.map(Math.round));
  }
  expect(fit.codes[0]!.length).toBe(rows);
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
