/**
 * Small dense linear algebra for the normalizers (rnn/normalize*.ts): matrices of at most a few
 * dozen rows, written to be checked by reading rather than to be fast.
 *
 * A Matrix is an array of rows. Functions never modify their arguments. Expected failures (a
 * singular matrix, an eigen-structure that is not clear) are values: `null` or a Result.
 */
import { fail, ok, type Result } from "../common/result.js";

export type Matrix = number[][];
export type ReadonlyMatrix = readonly (readonly number[])[];

export interface Complex {
  readonly re: number;
  readonly im: number;
}

const EPS = 2.220446049250313e-16;

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

export function copy(a: ReadonlyMatrix): Matrix {
  return a.map((row) => row.slice());
}

export function transpose(a: ReadonlyMatrix): Matrix {
  const rows = a.length;
  const cols = rows === 0 ? 0 : a[0]!.length;
  const t = zeros(cols, rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j]![i] = a[i]![j]!;
  return t;
}

export function matMul(a: ReadonlyMatrix, b: ReadonlyMatrix): Matrix {
  const n = a.length;
  const inner = b.length;
  const m = inner === 0 ? 0 : b[0]!.length;
  const c = zeros(n, m);
  for (let i = 0; i < n; i++) {
    if (a[i]!.length !== inner) throw new Error(`matMul: ${a[i]!.length} columns times ${inner} rows`);
    for (let k = 0; k < inner; k++) {
      const aik = a[i]![k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i]![j]! += aik * b[k]![j]!;
    }
  }
  return c;
}

export function matVec(a: ReadonlyMatrix, v: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}

export function add(a: ReadonlyMatrix, b: ReadonlyMatrix, scaleB = 1): Matrix {
  return a.map((row, i) => row.map((x, j) => x + scaleB * b[i]![j]!));
}

export function scale(a: ReadonlyMatrix, s: number): Matrix {
  return a.map((row) => row.map((x) => x * s));
}

/** Column j as a vector. */
export function column(a: ReadonlyMatrix, j: number): number[] {
  return a.map((row) => row[j]!);
}

/** The matrix whose columns are the given vectors. */
export function fromColumns(columns: readonly (readonly number[])[], rows: number): Matrix {
  const m = zeros(rows, columns.length);
  columns.forEach((col, j) => col.forEach((x, i) => (m[i]![j] = x)));
  return m;
}

export function maxAbs(a: ReadonlyMatrix): number {
  let m = 0;
  for (const row of a) for (const x of row) m = Math.max(m, Math.abs(x));
  return m;
}

export function norm2(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

// ---------------------------------------------------------------------------------------------
// LU with partial pivoting: inverse and solve.

export interface LuFactors {
  /** L (unit lower, below the diagonal) and U (on and above it) packed in one matrix, rows permuted. */
  readonly lu: Matrix;
  /** Row i of lu is row perm[i] of the original. */
  readonly perm: readonly number[];
}

/** PA = LU, or null when a pivot is below `relTol` · max|A| (numerically singular). */
export function luFactor(a: ReadonlyMatrix, relTol = 1e-13): LuFactors | null {
  const n = a.length;
  const lu = copy(a);
  const perm = Array.from({ length: n }, (_, i) => i);
  const tiny = relTol * Math.max(maxAbs(a), Number.MIN_VALUE);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i]![k]!) > Math.abs(lu[p]![k]!)) p = i;
    if (!(Math.abs(lu[p]![k]!) > tiny)) return null;
    if (p !== k) {
      [lu[p], lu[k]] = [lu[k]!, lu[p]!];
      [perm[p], perm[k]] = [perm[k]!, perm[p]!];
    }
    const pivot = lu[k]![k]!;
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i]![k]! /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i]![j]! -= f * lu[k]![j]!;
    }
  }
  return { lu, perm };
}

/** X with A X = B (B given as a matrix of right-hand-side columns), or null if A is singular. */
export function solve(a: ReadonlyMatrix, b: ReadonlyMatrix): Matrix | null {
  const f = luFactor(a);
  return f === null ? null : luSolve(f, b);
}

export function luSolve({ lu, perm }: LuFactors, b: ReadonlyMatrix): Matrix {
  const n = lu.length;
  const cols = b.length === 0 ? 0 : b[0]!.length;
  const x = perm.map((p) => b[p]!.slice());
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) x[i]![c]! -= lu[i]![k]! * x[k]![c]!;
    for (let i = n - 1; i >= 0; i--) {
      for (let k = i + 1; k < n; k++) x[i]![c]! -= lu[i]![k]! * x[k]![c]!;
      x[i]![c]! /= lu[i]![i]!;
    }
  }
  return x;
}

export function inverse(a: ReadonlyMatrix): Matrix | null {
  return solve(a, identity(a.length));
}

// ---------------------------------------------------------------------------------------------
// Singular value decomposition (one-sided Jacobi): accurate for small matrices and simple.

export interface Svd {
  /** rows × n, orthonormal columns where s > 0 (columns for s = 0 are zero). */
  readonly u: Matrix;
  /** The n singular values (n = columns), descending; a wide matrix has n − rows extra zeros. */
  readonly s: readonly number[];
  /** n × n orthogonal: the right singular vectors as columns. */
  readonly v: Matrix;
}

/**
 * A = U diag(s) Vᵀ. A wide matrix is padded with zero rows so that V is always a full square
 * basis of the column space (its last columns span the null space).
 */
export function svd(a: ReadonlyMatrix): Svd {
  const n = a.length === 0 ? 0 : a[0]!.length;
  const rows = Math.max(a.length, n);
  // Work on columns: w[j] is column j of A (padded).
  const w = Array.from({ length: n }, (_, j) => Array.from({ length: rows }, (_, i) => (i < a.length ? a[i]![j]! : 0)));
  const v = identity(n);
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const wp = w[p]!;
        const wq = w[q]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          alpha += wp[i]! * wp[i]!;
          beta += wq[i]! * wq[i]!;
          gamma += wp[i]! * wq[i]!;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that makes columns p and q orthogonal.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < rows; i++) {
          const x = wp[i]!;
          const y = wq[i]!;
          wp[i] = c * x - s * y;
          wq[i] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v[i]![p]!;
          const y = v[i]![q]!;
          v[i]![p] = c * x - s * y;
          v[i]![q] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = w.map(norm2);
  const order = norms.map((_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const s = order.map((j) => norms[j]!);
  const u = fromColumns(
    order.map((j) => w[j]!.slice(0, a.length).map((x) => (norms[j]! > 0 ? x / norms[j]! : 0))),
    a.length,
  );
  const vSorted = fromColumns(order.map((j) => column(v, j)), n);
  return { u, s, v: vSorted };
}

/** Default tolerance for numerical rank: singular values below relTol · σ_max count as zero. */
const RANK_TOL = 1e-10;

export function singularValues(a: ReadonlyMatrix): readonly number[] {
  return svd(a).s;
}

export function rank(a: ReadonlyMatrix, relTol = RANK_TOL): number {
  const s = singularValues(a);
  const cut = relTol * (s[0] ?? 0);
  return s.filter((x) => x > cut && x > 0).length;
}

/** σ_max / σ_min of a square matrix (Infinity when singular). */
export function conditionNumber(a: ReadonlyMatrix): number {
  const s = singularValues(a);
  const min = s[s.length - 1] ?? 0;
  return min > 0 ? s[0]! / min : Infinity;
}

/**
 * An orthonormal basis of the (numerical) null space, as the columns of an n × k matrix: the right
 * singular vectors of the `dim` smallest singular values, or of those below relTol · σ_max.
 */
export function nullspace(a: ReadonlyMatrix, dim?: number, relTol = RANK_TOL): Matrix {
  const { s, v } = svd(a);
  const n = v.length;
  const k = dim ?? n - s.slice(0, n).filter((x) => x > relTol * (s[0] ?? 0) && x > 0).length;
  return fromColumns(Array.from({ length: k }, (_, i) => column(v, n - k + i)), n);
}

// ---------------------------------------------------------------------------------------------
// Eigenvalues of a general real matrix: Hessenberg reduction, then Francis double-shift QR.

/** Q A Qᵀ in upper Hessenberg form (Householder reflections); same eigenvalues as A. */
export function hessenberg(a: ReadonlyMatrix): Matrix {
  const n = a.length;
  const h = copy(a);
  for (let k = 0; k < n - 2; k++) {
    const x = Array.from({ length: n - k - 1 }, (_, i) => h[k + 1 + i]![k]!);
    const reflector = householder(x);
    if (reflector === null) continue;
    applyReflectorLeft(h, reflector, k + 1, 0, n - 1);
    applyReflectorRight(h, reflector, k + 1, 0, n - 1);
    for (let i = k + 2; i < n; i++) h[i]![k] = 0;
  }
  return h;
}

interface Reflector {
  /** P = I − beta v vᵀ maps x to a multiple of e₁. */
  readonly v: readonly number[];
  readonly beta: number;
}

function householder(x: readonly number[]): Reflector | null {
  // Scaled by the largest entry so that squares of tiny entries cannot underflow.
  const big = x.reduce((m, y) => Math.max(m, Math.abs(y)), 0);
  if (big === 0) return null;
  const v = x.map((y) => y / big);
  const norm = norm2(v);
  v[0]! += v[0]! >= 0 ? norm : -norm;
  const vv = v.reduce((s, y) => s + y * y, 0);
  return { v, beta: 2 / vv };
}

/** Rows start..start+len−1, columns c0..c1: H ← P H. */
function applyReflectorLeft(h: Matrix, { v, beta }: Reflector, start: number, c0: number, c1: number): void {
  for (let j = c0; j <= c1; j++) {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i]! * h[start + i]![j]!;
    s *= beta;
    for (let i = 0; i < v.length; i++) h[start + i]![j]! -= s * v[i]!;
  }
}

/** Columns start..start+len−1, rows r0..r1: H ← H P. */
function applyReflectorRight(h: Matrix, { v, beta }: Reflector, start: number, r0: number, r1: number): void {
  for (let i = r0; i <= r1; i++) {
    const row = h[i]!;
    let s = 0;
    for (let j = 0; j < v.length; j++) s += row[start + j]! * v[j]!;
    s *= beta;
    for (let j = 0; j < v.length; j++) row[start + j]! -= s * v[j]!;
  }
}

/** Eigenvalues of a 2 × 2 matrix [[a, b], [c, d]]. */
function eigenvalues2(a: number, b: number, c: number, d: number): [Complex, Complex] {
  const mean = (a + d) / 2;
  const p = (a - d) / 2;
  const disc = p * p + b * c;
  if (disc >= 0) {
    const root = Math.sqrt(disc);
    // The larger-magnitude root first; the other from the determinant only when mean ∓ root cancels.
    const big = mean + (mean >= 0 ? root : -root);
    let small = mean - (mean >= 0 ? root : -root);
    if (Math.abs(small) < 0.5 * Math.abs(mean) && big !== 0) small = (a * d - b * c) / big;
    return [{ re: big, im: 0 }, { re: small, im: 0 }];
  }
  const root = Math.sqrt(-disc);
  return [{ re: mean, im: root }, { re: mean, im: -root }];
}

/**
 * All n eigenvalues (complex pairs as conjugates), or null if QR did not converge (it always does
 * in practice; the bound is a safety net). Order: as deflated, from the bottom of the matrix.
 */
export function eigenvalues(a: ReadonlyMatrix): Complex[] | null {
  const n = a.length;
  // Work at unit scale (a power of two, so exactly), and flush entries far below the backward
  // error of QR (≈ 1e-16) to zero: their products would underflow and stall the iteration.
  const big = maxAbs(a);
  if (big === 0) return Array.from({ length: n }, () => ({ re: 0, im: 0 }));
  const unit = Math.pow(2, Math.max(-1000, Math.min(1000, -Math.round(Math.log2(big)))));
  const h = hessenberg(scale(a, unit).map((row) => row.map((x) => (Math.abs(x) < 1e-100 ? 0 : x))));
  const out: Complex[] = [];
  let norm = 0;
  for (const row of h) for (const x of row) norm += Math.abs(x);
  let hi = n - 1;
  let iterations = 0;
  while (hi >= 0) {
    // The active window lo..hi ends at the first negligible subdiagonal entry above hi.
    let lo = hi;
    while (lo > 0) {
      if (negligibleSubdiagonal(h, lo, norm)) {
        h[lo]![lo - 1] = 0;
        break;
      }
      lo--;
    }
    if (lo === hi) {
      out.push({ re: h[hi]![hi]!, im: 0 });
      hi--;
      iterations = 0;
    } else if (lo === hi - 1) {
      out.push(...eigenvalues2(h[lo]![lo]!, h[lo]![hi]!, h[hi]![lo]!, h[hi]![hi]!));
      hi -= 2;
      iterations = 0;
    } else {
      if (++iterations > 100 * n) return null;
      francisStep(h, lo, hi, iterations);
    }
  }
  return out.map((v) => ({ re: v.re / unit, im: v.im / unit }));
}

/**
 * Whether h[k][k−1] can be set to zero: small against its diagonal neighbours (or, where those are
 * 0, its off-diagonal ones). Entries below EPS² · ‖H‖ always go: dropping them is far inside the
 * backward error, and blocks made only of such entries would never converge. (LAPACK's stricter
 * Ahues–Tisseur test is left out: it stalls on blocks ≈ λ·I, which trained matrices do have.)
 */
function negligibleSubdiagonal(h: Matrix, k: number, norm: number): boolean {
  const sub = Math.abs(h[k]![k - 1]!);
  if (sub <= EPS * EPS * norm) return true;
  let tst = Math.abs(h[k - 1]![k - 1]!) + Math.abs(h[k]![k]!);
  if (tst === 0) tst = (k >= 2 ? Math.abs(h[k - 1]![k - 2]!) : 0) + (k + 1 < h.length ? Math.abs(h[k + 1]![k]!) : 0);
  return sub <= EPS * (tst || norm);
}

/** One implicit double-shift QR step on the unreduced Hessenberg window lo..hi (size >= 3). */
function francisStep(h: Matrix, lo: number, hi: number, iterations: number): void {
  // The shifts are the eigenvalues of a 2 × 2 block [[a, ·], [·, b]] whose off-diagonal product is w:
  // the trailing block, or every 10th iteration an exceptional one (as LAPACK's dlahqr) to break cycles.
  let a = h[hi - 1]![hi - 1]!;
  let b = h[hi]![hi]!;
  let w = h[hi]![hi - 1]! * h[hi - 1]![hi]!;
  if (iterations % 10 === 0) {
    const size = Math.abs(h[hi]![hi - 1]!) + Math.abs(h[hi - 1]![hi - 2]!);
    a = b = 0.75 * size + h[hi]![hi]!;
    w = -0.4375 * size * size;
  }
  // First column of (H − σ₁)(H − σ₂), divided by h[lo+1][lo] and written relative to h[lo][lo] so
  // that nothing cancels when H ≈ λ·I (EISPACK's hqr form).
  const r = a - h[lo]![lo]!;
  const s = b - h[lo]![lo]!;
  let x = (r * s - w) / h[lo + 1]![lo]! + h[lo]![lo + 1]!;
  let y = h[lo + 1]![lo + 1]! - h[lo]![lo]! - r - s;
  let z = h[lo + 2]![lo + 1]!;
  // Chase the bulge down the window.
  for (let k = lo; k <= hi - 2; k++) {
    const reflector = householder([x, y, z]);
    if (reflector !== null) {
      applyReflectorLeft(h, reflector, k, Math.max(lo, k - 1), hi);
      applyReflectorRight(h, reflector, k, lo, Math.min(k + 3, hi));
      if (k > lo) h[k + 1]![k - 1] = h[k + 2]![k - 1] = 0;
    }
    x = h[k + 1]![k]!;
    y = h[k + 2]![k]!;
    if (k < hi - 2) z = h[k + 3]![k]!;
  }
  const last = householder([x, y]);
  if (last !== null) {
    applyReflectorLeft(h, last, hi - 1, hi - 2, hi);
    applyReflectorRight(h, last, hi - 1, lo, hi);
    h[hi]![hi - 2] = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Real Jordan form.

/** One diagonal block of a real Jordan form. */
export type JordanBlock =
  /** λ on the diagonal, ones on the superdiagonal, `size` × `size` (size 1: a plain eigenvalue). */
  | { readonly kind: "real"; readonly value: number; readonly size: number }
  /** [[re, im], [−im, re]] for the pair re ± i·im (im > 0). */
  | { readonly kind: "complex"; readonly re: number; readonly im: number };

export interface RealJordanForm {
  /** Columns are the new basis: basis⁻¹ A basis ≈ the block-diagonal matrix of `blocks`. */
  readonly basis: Matrix;
  readonly blocks: readonly JordanBlock[];
}

export type JordanFailure =
  | { readonly code: "no_convergence" }
  | { readonly code: "repeated_complex_pair"; readonly re: number; readonly im: number; readonly multiplicity: number }
  | { readonly code: "unclear_jordan_structure"; readonly value: number; readonly multiplicity: number }
  | { readonly code: "ill_conditioned_basis"; readonly condition: number };

export function describeJordanFailure(f: JordanFailure): string {
  switch (f.code) {
    case "no_convergence":
      return "QR iteration did not converge";
    case "repeated_complex_pair":
      return `complex pair ${f.re.toFixed(3)} ± ${f.im.toFixed(3)}i repeated ${f.multiplicity} times`;
    case "unclear_jordan_structure":
      return `eigenvalue ${f.value.toFixed(3)} of multiplicity ${f.multiplicity} is neither diagonal nor one Jordan chain`;
    case "ill_conditioned_basis":
      return `Jordan basis has condition number ${f.condition.toExponential(1)}`;
  }
}

/** A group of eigenvalues closer than the cluster tolerance, treated as one (repeated) eigenvalue. */
interface Cluster {
  readonly members: readonly Complex[];
  readonly re: number;
  /** 0 for a real cluster; else the mean positive imaginary part. */
  readonly im: number;
}

/**
 * The real Jordan form of a small matrix. Eigenvalues closer than `clusterTol` (a trained matrix
 * never has exactly repeated ones) are treated as one eigenvalue; a cluster becomes one Jordan chain
 * when A − λ is clearly nilpotent of full index on it, or a diagonal block when A ≈ λ there.
 * The basis is exact (basis⁻¹ A basis equals A in the new coordinates); the blocks are the ideal
 * form it approximates. Blocks are ordered by |λ| descending, then real part descending.
 */
export function realJordanForm(a: ReadonlyMatrix, clusterTol = 1e-2, maxCondition = 1e8): Result<RealJordanForm, JordanFailure> {
  const n = a.length;
  const values = eigenvalues(a);
  if (values === null) return fail({ code: "no_convergence" });
  const scaleA = Math.max(1, maxAbs(a));
  const columns: number[][] = [];
  const blocks: JordanBlock[] = [];
  for (const cluster of clusterEigenvalues(values, clusterTol)) {
    const m = cluster.members.length;
    const q = nullspace(clusterPolynomial(a, cluster.members, scaleA), m);
    const restricted = matMul(matMul(transpose(q), a), q);
    if (cluster.im === 0) {
      const chain = jordanChain(restricted, cluster.re, clusterTol * scaleA, maxCondition);
      if (chain === null) return fail({ code: "unclear_jordan_structure", value: cluster.re, multiplicity: m });
      for (const vecs of chain) {
        columns.push(...vecs.map((c) => matVec(q, c)));
        blocks.push({ kind: "real", value: cluster.re, size: vecs.length });
      }
    } else {
      if (m !== 2) return fail({ code: "repeated_complex_pair", re: cluster.re, im: cluster.im, multiplicity: m / 2 });
      const [x, y] = complexPairBasis(restricted);
      columns.push(matVec(q, x), matVec(q, y));
      const { re, im } = eigenvalues2(restricted[0]![0]!, restricted[0]![1]!, restricted[1]![0]!, restricted[1]![1]!)[0];
      blocks.push({ kind: "complex", re, im: Math.abs(im) });
    }
  }
  const basis = fromColumns(columns, n);
  const condition = conditionNumber(basis);
  if (!(condition <= maxCondition)) return fail({ code: "ill_conditioned_basis", condition });
  return ok({ basis, blocks });
}

/** Single-linkage clusters of eigenvalues (conjugates together), ordered by |λ| then real part. */
function clusterEigenvalues(values: readonly Complex[], tol: number): Cluster[] {
  // Each eigenvalue as a point in the upper half plane; conjugate pairs land on the same point.
  const points = values.map((v) => ({ re: v.re, im: Math.abs(v.im) }));
  const label = points.map((_, i) => i);
  const find = (i: number): number => (label[i] === i ? i : (label[i] = find(label[i]!)));
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (Math.hypot(points[i]!.re - points[j]!.re, points[i]!.im - points[j]!.im) < tol) label[find(i)] = find(j);
    }
  }
  const groups = new Map<number, Complex[]>();
  values.forEach((v, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), v]);
  });
  const clusters = [...groups.values()].map((members): Cluster => {
    const re = members.reduce((s, v) => s + v.re, 0) / members.length;
    const imMean = members.reduce((s, v) => s + Math.abs(v.im), 0) / members.length;
    // Near the real axis a conjugate pair is a perturbed repeated real eigenvalue.
    return { members, re, im: imMean < tol ? 0 : imMean };
  });
  return clusters.sort((x, y) => Math.hypot(y.re, y.im) - Math.hypot(x.re, x.im) || y.re - x.re);
}

/** Π (A − λ) over the cluster (conjugate pairs as real quadratics), each factor scaled by 1/scale. */
function clusterPolynomial(a: ReadonlyMatrix, members: readonly Complex[], scaleA: number): Matrix {
  const n = a.length;
  let p = identity(n);
  const seen = new Set<number>();
  members.forEach((v, i) => {
    if (seen.has(i)) return;
    seen.add(i);
    if (v.im === 0) {
      p = matMul(p, scale(add(a, identity(n), -v.re), 1 / scaleA));
      return;
    }
    // Pair v with its conjugate (the next unseen member with the opposite imaginary part).
    const j = members.findIndex((w, k) => !seen.has(k) && w.re === v.re && w.im === -v.im);
    if (j >= 0) seen.add(j);
    const a2 = matMul(a, a);
    const quad = add(add(a2, a, -2 * v.re), identity(n), v.re * v.re + v.im * v.im);
    p = matMul(p, scale(quad, 1 / (scaleA * scaleA)));
  });
  return p;
}

/**
 * A basis of chains for a matrix that is ≈ λ + nilpotent: one chain per basis vector when A ≈ λ
 * (diagonal), or one full chain [N^{m−1}v, …, Nv, v] when the chain is well conditioned. Null
 * otherwise.
 */
function jordanChain(a: ReadonlyMatrix, lambda: number, tol: number, maxCondition: number): number[][][] | null {
  const m = a.length;
  const nil = add(a, identity(m), -lambda);
  if (m === 1 || maxAbs(nil) <= tol) return identity(m).map((e) => [e]);
  let power = identity(m);
  for (let k = 1; k < m; k++) power = matMul(power, nil);
  // The top of the chain: the direction N^{m−1} stretches most.
  const top = column(svd(power).v, 0);
  const chain: number[][] = [top];
  for (let k = 1; k < m; k++) chain.unshift(matVec(nil, chain[0]!));
  return conditionNumber(fromColumns(chain, m)) <= maxCondition ? [chain] : null;
}

/** [x, y] with A [x y] = [x y] [[a, b], [−b, a]] for a 2 × 2 matrix with eigenvalues a ± ib. */
function complexPairBasis(a: ReadonlyMatrix): [number[], number[]] {
  const [p, q] = [a[0]![0]!, a[0]![1]!];
  const [r, s] = [a[1]![0]!, a[1]![1]!];
  const { re, im } = eigenvalues2(p, q, r, s)[0];
  const b = Math.abs(im);
  // An eigenvector for re + ib, from whichever row of A − λ is better conditioned.
  if (Math.abs(q) >= Math.abs(r)) return [[q, re - p], [0, b]];
  return [[re - s, r], [b, 0]];
}

// ---------------------------------------------------------------------------------------------

/** The Krylov matrix [b, A b, A² b, …] with k columns (n × k). */
export function krylovBasis(a: ReadonlyMatrix, b: readonly number[], k: number): Matrix {
  const columns: number[][] = [b.slice()];
  for (let i = 1; i < k; i++) columns.push(matVec(a, columns[i - 1]!));
  return fromColumns(columns, b.length);
}
