/**
 * Changes of hidden coordinates that preserve what a network computes (rnn/normalize.ts runs them).
 *
 * Every transform here is one call of `reparameterize`: the hidden state is written h = P h̃ + o
 * and h̃ = Q (h − o), with Q P = I. Layers that read h (the transition's first layer, the readout's
 * first layer) absorb P and o; the transition's last layer, which writes h, absorbs Q. For an
 * invertible P (a change of basis) and o = 0 the network is the same function everywhere; for a
 * projection (pruning) it is the same on data whose states lie in the range of P; a nonzero o moves
 * h₋₁ = 0 and is therefore only approximate at the first step (the gate decides).
 */
import { fail, ok, type Result } from "../common/result.js";
import {
  column,
  conditionNumber,
  describeJordanFailure,
  fromColumns,
  identity,
  inverse,
  krylovBasis,
  matMul,
  matVec,
  realJordanForm,
  svd,
  type JordanBlock,
  type Matrix,
  type ReadonlyMatrix,
} from "./linalg.js";
import type { DenseLayer, Rnn } from "./types.js";
import type { StateStatistics } from "./normalize-prune.js";

/** Bases worse conditioned than this lose too many digits to be worth trying. */
const MAX_CONDITION = 1e8;

/** Rows of a layer's weight as a matrix, and back. */
export function layerMatrix(layer: DenseLayer): Matrix {
  return Array.from({ length: layer.outSize }, (_, o) => layer.weight.slice(o * layer.inSize, (o + 1) * layer.inSize));
}

export function layerFrom(weight: ReadonlyMatrix, bias: readonly number[]): DenseLayer {
  const outSize = weight.length;
  const inSize = outSize === 0 ? 0 : weight[0]!.length;
  return { inSize, outSize, weight: weight.flatMap((row) => row.slice()), bias: bias.slice() };
}

/**
 * The network in coordinates h̃ with h = P h̃ + o and h̃ = Q (h − o). P is n × r, Q is r × n; the
 * new hidden size is r. Reading layers: columns C → C P, bias b → b + C o. Writing layer: rows
 * R → Q R, bias b → Q (b − o). With one transition layer both apply to it (columns first).
 */
export function reparameterize(rnn: Rnn, p: ReadonlyMatrix, q: ReadonlyMatrix, offset?: readonly number[]): Rnn {
  const n = rnn.config.hiddenSize;
  const r = q.length;
  const o = offset ?? new Array<number>(n).fill(0);
  const read = (layer: DenseLayer): DenseLayer => {
    const m = layerMatrix(layer);
    const hPart = m.map((row) => row.slice(0, n));
    const shift = matVec(hPart, o);
    return layerFrom(
      matMul(hPart, p).map((row, i) => [...row, ...m[i]!.slice(n)]),
      layer.bias.map((b, i) => b + shift[i]!),
    );
  };
  const write = (layer: DenseLayer): DenseLayer => {
    const m = layerMatrix(layer);
    return layerFrom(matMul(q, m), matVec(q, layer.bias.map((b, i) => b - o[i]!)));
  };
  const transition = rnn.transition.slice();
  transition[0] = read(transition[0]!);
  transition[transition.length - 1] = write(transition[transition.length - 1]!);
  const readout = rnn.readout.slice();
  readout[0] = read(readout[0]!);
  return { ...rnn, config: { ...rnn.config, hiddenSize: r }, transition, readout };
}

/** h = M h̃: a change of basis (exact everywhere). Null when M is singular. */
export function changeBasis(rnn: Rnn, m: ReadonlyMatrix): Rnn | null {
  const inv = inverse(m);
  return inv === null ? null : reparameterize(rnn, m, inv);
}

/** W, U, c of a linear transition h' = W h + U e + c. */
export interface LinearTransition {
  readonly w: Matrix;
  readonly u: Matrix;
  readonly c: readonly number[];
}

export function linearTransition(rnn: Rnn): LinearTransition | null {
  if (rnn.transition.length !== 1) return null;
  const n = rnn.config.hiddenSize;
  const layer = rnn.transition[0]!;
  const m = layerMatrix(layer);
  return { w: m.map((row) => row.slice(0, n)), u: m.map((row) => row.slice(n)), c: layer.bias };
}

// ---------------------------------------------------------------------------------------------
// The normalizers. Each returns the transformed network, or why it does not apply.

/**
 * Whitening: coordinates in which the hidden states (h_t, t ≥ 0, on the data) have identity
 * covariance, along the principal axes in order of variance. The mean is not removed: h₋₁ = 0
 * must stay 0. Each axis is signed so that its largest component is positive.
 */
export function whiten(rnn: Rnn, stats: StateStatistics): Result<Rnn, string> {
  const { u, s } = svd(stats.covariance);
  const smallest = s[s.length - 1]!;
  if (!(smallest > 1e-12 * s[0]!)) return fail(`hidden-state covariance is singular (smallest variance ${smallest.toExponential(1)}): prune first`);
  const axes = Array.from({ length: s.length }, (_, j) => {
    const axis = column(u, j);
    const sign = Math.sign(axis.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0)) || 1;
    return axis.map((x) => x * sign * Math.sqrt(s[j]!));
  });
  const m = fromColumns(axes, s.length);
  const next = changeBasis(rnn, m);
  return next === null ? fail("whitening basis is singular") : ok(next);
}

/**
 * The real Jordan form of W (linear transitions): block-diagonal W̃ with 1 × 1 blocks for real
 * eigenvalues, Jordan chains for repeated ones, and [[a, b], [−b, a]] blocks for complex pairs.
 * Each block is scaled (complex blocks also rotated) so that the input column that reaches it most
 * enters its largest coordinate as 1; where W ≈ λ·I on an m-dimensional subspace (a repeated,
 * diagonal eigenvalue), any basis of it will do, and the one made of m input columns makes them
 * enter as unit vectors. Integer inputs then move the state on an integer grid where blocks allow.
 */
export function jordan(rnn: Rnn, clusterTol = 0.02): Result<Rnn, string> {
  const lin = linearTransition(rnn);
  if (lin === null) return fail("transition is not linear (depth > 1)");
  const form = realJordanForm(lin.w, clusterTol, MAX_CONDITION);
  if (!form.ok) return fail(describeJordanFailure(form.failure));
  const basis = form.value.basis;
  const inv = inverse(basis);
  if (inv === null) return fail("Jordan basis is singular");
  const uBlock = matMul(inv, lin.u);
  const columns: number[][] = [];
  const blocks = form.value.blocks;
  let at = 0;
  for (let b = 0; b < blocks.length; ) {
    const block = blocks[b]!;
    // A run of 1 × 1 blocks of one eigenvalue is one diagonal cluster.
    let run = 1;
    if (block.kind === "real" && block.size === 1) {
      while (b + run < blocks.length && sameDiagonalCluster(block, blocks[b + run]!)) run++;
    }
    const size = block.kind === "real" ? block.size * run : 2;
    const vecs = Array.from({ length: size }, (_, k) => column(basis, at + k));
    const rows = uBlock.slice(at, at + size);
    const fromInputs = run > 1 ? inputBasis(vecs, rows) : null;
    if (fromInputs !== null) columns.push(...fromInputs);
    else if (block.kind === "real") for (let k = 0; k < run; k++) columns.push(...scaleChain(vecs.slice(k * block.size, (k + 1) * block.size), rows.slice(k * block.size, (k + 1) * block.size)));
    else columns.push(...rotatePair(vecs, rows));
    at += size;
    b += run;
  }
  const m = fromColumns(columns, basis.length);
  if (!(conditionNumber(m) <= MAX_CONDITION)) return fail("scaled Jordan basis is ill-conditioned");
  const next = changeBasis(rnn, m);
  return next === null ? fail("Jordan basis is singular") : ok(next);
}

function sameDiagonalCluster(a: JordanBlock, b: JordanBlock): boolean {
  return a.kind === "real" && b.kind === "real" && b.size === 1 && a.value === b.value;
}

/** The input column (index) with the largest norm within a block's rows. */
function strongestInput(rows: ReadonlyMatrix): number {
  let best = 0;
  for (let j = 1; j < (rows[0]?.length ?? 0); j++) if (blockNorm(rows, j) > blockNorm(rows, best)) best = j;
  return best;
}

/**
 * Scale a Jordan chain as a whole (keeps the ones on the superdiagonal) so that the strongest input
 * enters its largest coordinate as +1; a chain no input reaches gets unit-length vectors.
 */
function scaleChain(vecs: readonly (readonly number[])[], rows: ReadonlyMatrix): number[][] {
  const best = strongestInput(rows);
  const entry = rows.reduce((m, row) => (Math.abs(row[best] ?? 0) > Math.abs(m) ? row[best]! : m), 0);
  const factor = entry !== 0 ? entry : 1 / Math.max(...vecs.map((v) => Math.hypot(...v)));
  return vecs.map((v) => v.map((x) => x * factor));
}

/** A rotation-scaling of a complex pair's basis keeps [[a, b], [−b, a]]; choose the one mapping the strongest input to (1, 0). */
function rotatePair(vecs: readonly (readonly number[])[], rows: ReadonlyMatrix): number[][] {
  const best = strongestInput(rows);
  const alpha = rows[0]![best] ?? 0;
  const beta = rows[1]![best] ?? 0;
  const [x, y] = alpha === 0 && beta === 0 ? [1, 0] : [alpha, beta];
  return [vecs[0]!.map((v, i) => x * v + y * vecs[1]![i]!), vecs[0]!.map((v, i) => -y * v + x * vecs[1]![i]!)];
}

/**
 * For a subspace where W ≈ λ·I: the basis made of input columns (largest first, skipping ones that
 * add no new direction), or null when the inputs do not span it.
 */
function inputBasis(vecs: readonly (readonly number[])[], rows: ReadonlyMatrix): number[][] | null {
  const m = vecs.length;
  const inputs = Array.from({ length: rows[0]?.length ?? 0 }, (_, j) => j).sort((a, b) => blockNorm(rows, b) - blockNorm(rows, a) || a - b);
  const chosen: number[][] = [];
  const residuals: number[][] = [];
  for (const j of inputs) {
    if (chosen.length === m) break;
    const coords = rows.map((row) => row[j]!);
    // Gram–Schmidt: does this column add a direction?
    let r = coords.slice();
    for (const q of residuals) {
      const dot = r.reduce((s, x, i) => s + x * q[i]!, 0);
      r = r.map((x, i) => x - dot * q[i]!);
    }
    const norm = Math.hypot(...r);
    if (!(norm > 1e-6 * Math.max(1e-300, Math.hypot(...coords)))) continue;
    residuals.push(r.map((x) => x / norm));
    chosen.push(coords);
  }
  if (chosen.length < m) return null;
  // New basis vector k = Σ_i vecs[i] · chosen[k][i]: input column k then has coordinates e_k.
  return chosen.map((c) => vecs[0]!.map((_, row) => c.reduce((s, ci, i) => s + ci * vecs[i]![row]!, 0)));
}

function blockNorm(rows: ReadonlyMatrix, j: number): number {
  return Math.hypot(...rows.map((row) => row[j] ?? 0));
}

/**
 * Krylov alignment (linear transition, one raw input): the basis [u, W u, …, W^{n−1} u]. The input
 * then enters the first coordinate with weight 1 and W̃ is a companion matrix (ones below the
 * diagonal, the characteristic polynomial in the last column): coordinate k holds the input of k
 * steps ago plus feedback through that last column. For Sum_Last_k / Prev_k (W nilpotent) the
 * last column is ≈ 0 and the state is a plain shift register of past inputs.
 */
export function toeplitz(rnn: Rnn): Result<Rnn, string> {
  const lin = linearTransition(rnn);
  if (lin === null) return fail("transition is not linear (depth > 1)");
  if (lin.u[0]!.length !== 1) return fail(`needs one encoded input, has ${lin.u[0]!.length}`);
  const n = rnn.config.hiddenSize;
  const k = krylovBasis(lin.w, column(lin.u, 0), n);
  const condition = conditionNumber(k);
  if (!(condition <= MAX_CONDITION)) return fail(`the input does not reach every hidden direction (Krylov basis condition ${condition.toExponential(1)})`);
  const next = changeBasis(rnn, k);
  return next === null ? fail("Krylov basis is singular") : ok(next);
}

/**
 * Removing the transition bias c of a linear transition. The state is the input's response plus
 * q_t, the response to c alone (q₋₁ = 0, q_t = W q_{t−1} + c); the readout sees q_t through its
 * first layer. Dropping c and adding R₁ q to the readout bias is exact when q_t is constant; the
 * candidates for that constant are the fixed point (I − W)⁻¹ c (exact once the transient has
 * decayed, e.g. after k steps of a k-step shift register) and the mean of q_t over the data's
 * positions. Returns the candidates in that order; the gate picks.
 */
export function debiasCandidates(rnn: Rnn, positionsPerStep: readonly number[]): Result<Array<{ readonly variant: string; readonly rnn: Rnn }>, string> {
  const lin = linearTransition(rnn);
  if (lin === null) return fail("transition is not linear (depth > 1)");
  if (lin.c.every((x) => x === 0)) return fail("transition bias is already 0");
  const n = rnn.config.hiddenSize;
  const candidates: Array<{ variant: string; rnn: Rnn }> = [];
  const iMinusW = identity(n).map((row, i) => row.map((x, j) => x - lin.w[i]![j]!));
  const solved = inverse(iMinusW);
  if (solved !== null) candidates.push({ variant: "fixed point", rnn: withoutTransitionBias(rnn, matVec(solved, lin.c)) });
  // Mean of q_t, weighting step t by how many positions of the data have it.
  let q = new Array<number>(n).fill(0);
  const mean = new Array<number>(n).fill(0);
  const total = positionsPerStep.reduce((s, x) => s + x, 0);
  for (const count of positionsPerStep) {
    q = matVec(lin.w, q).map((x, i) => x + lin.c[i]!);
    q.forEach((x, i) => (mean[i]! += (x * count) / Math.max(1, total)));
  }
  candidates.push({ variant: "mean response", rnn: withoutTransitionBias(rnn, mean) });
  return ok(candidates);
}

/** c → 0, readout first-layer bias += R₁ q. */
function withoutTransitionBias(rnn: Rnn, q: readonly number[]): Rnn {
  const n = rnn.config.hiddenSize;
  const t = rnn.transition[0]!;
  const r = rnn.readout[0]!;
  const rows = layerMatrix(r);
  const readout = rnn.readout.slice();
  readout[0] = { ...r, bias: r.bias.map((b, o) => b + rows[o]!.slice(0, n).reduce((s, x, i) => s + x * q[i]!, 0)) };
  const transition = [{ ...t, bias: t.bias.map(() => 0) }];
  return { ...rnn, transition, readout };
}
