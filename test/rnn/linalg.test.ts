import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  conditionNumber,
  eigenvalues,
  fromColumns,
  identity,
  inverse,
  krylovBasis,
  matMul,
  maxAbs,
  nullspace,
  rank,
  realJordanForm,
  solve,
  svd,
  transpose,
  type Complex,
  type JordanBlock,
  type Matrix,
} from "../../rnn/linalg.js";

const square = (nMax: number) =>
  fc.integer({ min: 1, max: nMax }).chain((n) => fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }));

const distance = (a: Matrix, b: Matrix): number => maxAbs(add(a, b, -1));

/** The block-diagonal matrix of a real Jordan form's blocks. */
function blockMatrix(blocks: readonly JordanBlock[], n: number): Matrix {
  const j = identity(n).map((row) => row.map(() => 0));
  let at = 0;
  for (const b of blocks) {
    if (b.kind === "real") {
      for (let i = 0; i < b.size; i++) {
        j[at + i]![at + i] = b.value;
        if (i + 1 < b.size) j[at + i]![at + i + 1] = 1;
      }
      at += b.size;
    } else {
      j[at]![at] = b.re;
      j[at]![at + 1] = b.im;
      j[at + 1]![at] = -b.im;
      j[at + 1]![at + 1] = b.re;
      at += 2;
    }
  }
  return j;
}

const sortValues = (v: readonly Complex[]): Complex[] => [...v].sort((a, b) => a.re - b.re || a.im - b.im);

describe("inverse and solve", () => {
  it("inverts a known matrix that needs pivoting", () => {
    const a = [
      [0, 1],
      [2, 3],
    ];
    expect(inverse(a)).toEqual([
      [-1.5, 0.5],
      [1, 0],
    ]);
    expect(solve(a, [[1], [8]])).toEqual([[2.5], [1]]);
  });

  it("returns null for a singular matrix", () => {
    expect(inverse([[1, 2], [2, 4]])).toBeNull();
  });

  it("M · M⁻¹ = I for random well-conditioned matrices", () => {
    fc.assert(
      fc.property(square(8), (a) => {
        const inv = inverse(a);
        if (inv === null || conditionNumber(a) > 1e8) return;
        const err = distance(matMul(a, inv), identity(a.length));
        expect(err).toBeLessThan(1e-12 * conditionNumber(a) * a.length);
      }),
    );
  });
});

describe("svd, rank and null space", () => {
  it("reconstructs random matrices, with orthonormal V", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (rows, cols, seed) => {
        const a = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => Math.sin(seed + 7 * i + 3 * j + i * j)));
        const { u, s, v } = svd(a);
        const us = u.map((row) => row.map((x, j) => x * s[j]!));
        expect(distance(matMul(us, transpose(v)), a)).toBeLessThan(1e-12);
        expect(distance(matMul(transpose(v), v), identity(cols))).toBeLessThan(1e-12);
        for (let k = 1; k < s.length; k++) expect(s[k]!).toBeLessThanOrEqual(s[k - 1]!);
      }),
    );
  });

  it("finds rank and null space of a rank-1 matrix", () => {
    const a = [
      [1, 2, 3],
      [2, 4, 6],
    ];
    expect(rank(a)).toBe(1);
    const n = nullspace(a);
    expect(n[0]!.length).toBe(2);
    expect(maxAbs(matMul(a, n))).toBeLessThan(1e-12);
  });
});

describe("eigenvalues", () => {
  it("knows a rotation, a Jordan block and a companion matrix", () => {
    const rot = eigenvalues([
      [0, -1],
      [1, 0],
    ])!;
    expect(sortValues(rot)).toEqual([
      { re: 0, im: -1 },
      { re: 0, im: 1 },
    ]);
    // x³ − 6x² + 11x − 6 = (x − 1)(x − 2)(x − 3).
    const companion = [
      [0, 0, 6],
      [1, 0, -11],
      [0, 1, 6],
    ];
    const values = sortValues(eigenvalues(companion)!).map((v) => v.re);
    expect(values[0]).toBeCloseTo(1, 10);
    expect(values[1]).toBeCloseTo(2, 10);
    expect(values[2]).toBeCloseTo(3, 10);
  });

  it("match trace and determinant of random matrices up to 16 × 16", () => {
    fc.assert(
      fc.property(square(16), (a) => {
        const values = eigenvalues(a);
        expect(values).not.toBeNull();
        const n = a.length;
        expect(values!.length).toBe(n);
        const trace = a.reduce((s, row, i) => s + row[i]!, 0);
        expect(values!.reduce((s, v) => s + v.re, 0)).toBeCloseTo(trace, 8);
        expect(Math.abs(values!.reduce((s, v) => s + v.im, 0))).toBeLessThan(1e-8);
        // Each eigenvalue makes A − λ singular: check real ones through the smallest singular value.
        for (const v of values!.filter((x) => x.im === 0)) {
          const shifted = add(a, identity(n), -v.re);
          const s = svd(shifted).s;
          expect(s[n - 1]!).toBeLessThan(1e-6 * Math.max(1, s[0]!));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("realJordanForm", () => {
  const expectReconstructs = (a: Matrix, tol = 1e-9): JordanBlock[] => {
    const form = realJordanForm(a);
    expect(form.ok).toBe(true);
    if (!form.ok) return [];
    const { basis, blocks } = form.value;
    const j = blockMatrix(blocks, a.length);
    // A · basis ≈ basis · J: the basis is an exact change of coordinates to the block form.
    expect(distance(matMul(a, basis), matMul(basis, j))).toBeLessThan(tol * Math.max(1, maxAbs(a)) * maxAbs(basis));
    return blocks as JordanBlock[];
  };

  it("finds a Jordan chain for a double integrator, also when perturbed", () => {
    const blocks = expectReconstructs([
      [1, 1],
      [0, 1],
    ]);
    expect(blocks).toEqual([{ kind: "real", value: 1, size: 2 }]);
    const form = realJordanForm([
      [1.0001, 1],
      [0.00001, 0.9999],
    ]);
    expect(form.ok && form.value.blocks).toEqual([{ kind: "real", value: expect.closeTo(1, 6), size: 2 }]);
  });

  it("finds a rotation block and real eigenvalues", () => {
    const c = Math.cos(1);
    const s = Math.sin(1);
    const p = [
      [1, 2, 0],
      [0, 1, 1],
      [1, 0, 1],
    ];
    const d = [
      [c, s, 0],
      [-s, c, 0],
      [0, 0, 0.5],
    ];
    const a = matMul(matMul(p, d), inverse(p)!);
    const blocks = expectReconstructs(a);
    expect(blocks).toMatchObject([{ kind: "complex", re: expect.closeTo(c, 8), im: expect.closeTo(s, 8) }, { kind: "real", value: expect.closeTo(0.5, 8), size: 1 }]);
  });

  it("reconstructs random diagonalizable matrices", () => {
    fc.assert(
      fc.property(square(8), (a) => {
        const form = realJordanForm(a);
        if (!form.ok) return; // close eigenvalues without clear structure are allowed to fail
        const j = blockMatrix(form.value.blocks, a.length);
        const { basis } = form.value;
        // Clustered eigenvalues are replaced by their mean in the blocks, so allow the cluster width.
        expect(distance(matMul(inverse(basis)!, matMul(a, basis)), j)).toBeLessThan(0.05 * Math.max(1, maxAbs(a)));
      }),
      { numRuns: 200 },
    );
  });

  it("reports a repeated complex pair", () => {
    const r = [
      [0, -1],
      [1, 0],
    ];
    const a = [
      [...r[0]!, 0, 0],
      [...r[1]!, 0, 0],
      [0, 0, ...r[0]!],
      [0, 0, ...r[1]!],
    ];
    expect(realJordanForm(a)).toMatchObject({ ok: false, failure: { code: "repeated_complex_pair", multiplicity: 2 } });
  });
});

describe("krylovBasis", () => {
  it("turns a shift matrix into the unit vectors", () => {
    const shift = [
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
    ];
    expect(krylovBasis(shift, [1, 0, 0], 3)).toEqual(fromColumns([[1, 0, 0], [0, 1, 0], [0, 0, 1]], 3));
  });
});
