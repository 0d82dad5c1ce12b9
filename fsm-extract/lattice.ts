/**
 * Fitting an integer lattice to hidden states: h ≈ z·A + b, with an integer code z per state
 * (the MIPS paper's integer autoencoder, rebuilt on exact lattice reduction so that any hidden
 * size works).
 *
 * Input: hidden-state points (all of one length n) and options. Output: every lattice the
 * constructions find, fewest MDL bits first, or every construction's failure.
 *
 * Two constructions produce candidate generators, and one reduction turns generators into a basis:
 * - "linear": the network's impulse responses W^k·U, given in options.
 * - "gcd": differences between the points themselves, through an approximate real GCD first.
 * - The reduction (`reduceGenerators`): keep a maximal independent subset S of the generators, write
 *   every generator in S's coordinates, snap those to rationals with small denominators, take the
 *   exact Hermite normal form of the lattice they generate, and LLL-reduce it in the real geometry.
 *
 * Invariants of a returned fit: basis rows are linearly independent (r ≤ n), every point's code
 * reproduces it to maxResidual, its coordinates are within 0.25 of its code, points with the same
 * code lie within 2·tolerance of each other, and the lattice's steps exceed MIN_STEP_IN_TOLERANCES
 * tolerances. Failure reasons: empty, no_lattice, ambiguous_codes, collision, too_many_generators.
 */
import { inverse } from "../rnn/linalg.js";
import { type Result, fail, ok } from "../common/result.js";
import { commonDenominator, hermiteNormalForm, lllReduce, reduceModulo } from "./lll.js";
import { type Rational, fromFloat } from "../common/rational.js";

export interface LatticeFit {
  /** r rows (r = lattice rank ≤ hiddenSize), each hiddenSize reals: A. */
  readonly basis: number[][];
  /** b (hiddenSize reals). */
  readonly offset: number[];
  /** Per input point, its integer code z (length r). */
  readonly codes: number[][];
  readonly construction: "linear" | "gcd";
  /** Max over points of ‖h − (z·A + b)‖∞. */
  readonly maxResidual: number;
  /** Max over points and components of |c − round(c)|, c the real coordinates of h − b in the basis. */
  readonly maxCoordinateError: number;
  /** MDL: bits to write all codes. */
  readonly integerBits: number;
  /** MDL: bits to write the residuals at the tolerance's precision. */
  readonly residualBits: number;
  /** integerBits + residualBits. */
  readonly bits: number;
}

export type LatticeFailure = {
  readonly reason: "empty" | "no_lattice" | "ambiguous_codes" | "collision" | "too_many_generators";
  readonly detail: string;
};

export interface LatticeOptions {
  /** Candidate generators from the network, e.g. impulse responses W_h^k·W_x (the "linear" construction). */
  readonly generators?: readonly (readonly number[])[];
  /** The offset b (e.g. the initial state h₋₁ = 0, or a fitted fixed point); default: the first point. */
  readonly origin?: readonly number[];
  /**
   * Points closer than this (L∞) are the same hidden state; default 1e-3. Absolute, not scaled to
   * the data: the noise it absorbs is the network's float rounding and drift near each state,
   * which does not grow with the spread of the states. Pass a larger value for noisier networks.
   */
  readonly tolerance?: number;
  /** Largest denominator allowed when snapping real coefficients to rationals; default 12. */
  readonly maxDenominator?: number;
}

export const DEFAULT_TOLERANCE = 1e-3;
export const DEFAULT_MAX_DENOMINATOR = 12;
/** A code whose coordinates are farther than this from integers is ambiguous. */
export const MAX_COORDINATE_ERROR = 0.25;
/**
 * Every Gram–Schmidt height of the basis must exceed this many tolerances. A lattice whose steps
 * approach the tolerance fits any point cloud (random reals have integer relations down to the
 * noise), so it explains nothing.
 */
export const MIN_STEP_IN_TOLERANCES = 8;
/** More linear generators than this are refused rather than reduced. */
export const MAX_GENERATORS = 1024;
/** The gcd construction takes differences to at most this many distinct points, in input order. */
export const MAX_GCD_POINTS = 256;
/**
 * Generators per integer-relation search in the approximate GCD, beyond the rank (the LLL's size
 * grows with it; fewer make the relations among the first batch long).
 */
const GCD_BATCH = 16;
/**
 * A reduced row whose value is within this many tolerances of zero is a relation. The noise of a
 * relation grows with its coefficients, so this sits above 1, and below MIN_STEP_IN_TOLERANCES,
 * since a lattice with a step that short is rejected anyway.
 */
const RELATION_IN_TOLERANCES = 4;
/** The relation search scales its rows by this before rounding them to integers. */
const QUANTUM = 1n << 20n;

interface Settings {
  readonly tolerance: number;
  readonly maxDenominator: number;
}

/** Every lattice the constructions find, best (fewest bits) first; failures of every construction when none works. */
export function fitLattices(points: readonly (readonly number[])[], options: LatticeOptions = {}): Result<LatticeFit[], LatticeFailure[]> {
  if (points.length === 0) return fail([{ reason: "empty", detail: "no hidden states to fit" }]);
  const n = points[0]!.length;
  checkVectors("points", points, n);
  if (options.generators) checkVectors("generators", options.generators, n);
  if (options.origin) checkVectors("origin", [options.origin], n);
  const settings: Settings = {
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
    maxDenominator: options.maxDenominator ?? DEFAULT_MAX_DENOMINATOR,
  };
  if (!(settings.tolerance > 0)) throw new RangeError(`fitLattices: tolerance ${settings.tolerance} must be > 0`);
  const offset = (options.origin ?? points[0]!).slice();

  const bases: { construction: LatticeFit["construction"]; basis: Result<number[][], LatticeFailure> }[] = [];
  if (options.generators) bases.push({ construction: "linear", basis: linearBasis(options.generators, settings) });
  bases.push({ construction: "gcd", basis: gcdBasis(points, settings) });

  const fits: LatticeFit[] = [];
  const failures: LatticeFailure[] = [];
  for (const { construction, basis } of bases) {
    let fit = basis.ok ? assess(points, basis.value, offset, construction, settings) : basis;
    // The gcd basis is built from noisy points; refitting it to all of them averages the noise.
    if (fit.ok && construction === "gcd") {
      const refit = refitToCodes(points, fit.value.codes, options.origin ? offset : null);
      const finite = [...refit.basis.flat(), ...refit.offset].every(Number.isFinite);
      const better = finite ? assess(points, refit.basis, refit.offset, construction, settings) : fit;
      if (better.ok && better.value.maxResidual <= fit.value.maxResidual) fit = better;
    }
    if (fit.ok) fits.push(fit.value);
    else failures.push({ reason: fit.failure.reason, detail: `${construction} construction: ${fit.failure.detail}` });
  }
  // Array.prototype.sort is stable: on equal bits the linear construction stays first.
  return fits.length > 0 ? ok(fits.sort((a, b) => a.bits - b.bits)) : fail(failures);
}

/** The fit with the fewest bits. */
export function bestLattice(points: readonly (readonly number[])[], options: LatticeOptions = {}): Result<LatticeFit, LatticeFailure[]> {
  const fits = fitLattices(points, options);
  return fits.ok ? ok(fits.value[0]!) : fits;
}

// ---------------------------------------------------------------- the constructions

/**
 * The generators as given, in their order (callers put the simplest first: U before W·U); when
 * snapping to a few of them needs denominators above the limit, once more with short lattice
 * vectors from the approximate GCD in front.
 */
function linearBasis(generators: readonly (readonly number[])[], settings: Settings): Result<number[][], LatticeFailure> {
  if (generators.length > MAX_GENERATORS) {
    return fail({ reason: "too_many_generators", detail: `${generators.length} generators, at most ${MAX_GENERATORS}` });
  }
  const direct = reduceGenerators(generators, settings);
  if (direct.ok) return direct;
  const seed = approximateBasis(generators, settings.tolerance);
  const seeded = seed.ok ? reduceGenerators([...seed.value, ...generators], settings) : seed;
  return seeded.ok ? seeded : direct;
}

/**
 * Generators from the points alone: differences between distinct points. Snapping them to a basis
 * of a few of themselves (the linear construction's reduction) fails from rank 2 on, because any
 * r independent differences span a sublattice of large index (denominators far above 12). So an
 * approximate real GCD (`approximateBasis`) finds short lattice vectors first; the reduction then
 * checks every difference against them.
 */
function gcdBasis(points: readonly (readonly number[])[], settings: Settings): Result<number[][], LatticeFailure> {
  const distinct = distinctPoints(points, settings.tolerance, MAX_GCD_POINTS);
  if (distinct.length < 2) return fail({ reason: "no_lattice", detail: "all points are one state" });
  const first = distinct[0]!;
  const differences = distinct.slice(1).map((p) => subtract(p, first));
  const rank = numericalRank(differences, settings.tolerance);
  const byLength = differences
    .map((v, i) => ({ v, i, length: norm2(v) }))
    .sort((a, b) => a.length - b.length || a.i - b.i)
    .map((x) => x.v);
  const seed = approximateBasis(byLength, settings.tolerance);
  if (!seed.ok) return seed;
  if (seed.value.length < rank) {
    return fail({
      reason: "no_lattice",
      detail: `the differences of ${distinct.length} distinct points span ${rank} dimensions, but integer combinations of them come within ${RELATION_IN_TOLERANCES} tolerances of zero in ${rank - seed.value.length} of these: no lattice coarser than the noise`,
    });
  }
  return reduceGenerators([...seed.value, ...differences], settings);
}

/**
 * Short lattice vectors generating the same lattice as `vectors` (up to the tolerance): the real
 * GCD, in any dimension. In batches, the integer rows [I | W·V] are LLL-reduced; a reduced row's
 * left part c is an integer combination, and c·V is near zero exactly when c is an (approximate)
 * integer relation among the vectors. The other rows carry the lattice into the next batch. In
 * 1-D, 2a and 3a give a.
 *
 * The weight W is 1 / tolerance, so a residual of one tolerance costs as much as a unit
 * coefficient. Heavier weights find longer relations, but once a coefficient of (lattice step /
 * noise) is cheaper than a lattice step the reduction trades lattice vectors for noise: W must stay
 * below 1/noise, and the tolerance is the only bound on the noise we have.
 *
 * The relations' values are not exactly zero (noise), which lets the LLL trade the other rows'
 * W·(c·V) against large coefficients c; those rows' real values c·V then amplify the noise. So
 * each such c is first reduced modulo the relations (`reduceModulo`) in the coefficient space
 * alone: the same lattice vector, with small coefficients.
 */
function approximateBasis(vectors: readonly (readonly number[])[], tolerance: number): Result<number[][], LatticeFailure> {
  const rank = numericalRank(vectors, tolerance);
  // Equal batches of at least rank + GCD_BATCH: a short last batch would have long relations.
  const batches = Math.max(1, Math.floor(vectors.length / (rank + GCD_BATCH)));
  const batchSize = Math.ceil(vectors.length / batches);
  let basis: number[][] = [];
  for (let start = 0; start < vectors.length; start += batchSize) {
    const rows = [...basis, ...vectors.slice(start, start + batchSize)];
    // [I | W·V], scaled by QUANTUM before rounding so that rounding adds no noise of its own.
    const embedded = rows.map((row, i) => [
      ...rows.map((_, j) => (i === j ? QUANTUM : 0n)),
      ...row.map((x) => BigInt(Math.round((x / tolerance) * Number(QUANTUM)))),
    ]);
    const { transform } = lllReduce(embedded);
    const isRelation = transform.map((c) => normInf(combine(c, rows)) <= RELATION_IN_TOLERANCES * tolerance);
    const relations = transform.filter((_, i) => isRelation[i]);
    basis = transform.filter((_, i) => !isRelation[i]).map((c) => combine(reduceModulo(c, relations), rows));
    if (numericalRank(basis, tolerance) < basis.length) {
      return fail({
        reason: "no_lattice",
        detail: `${basis.length} vectors are left in ${numericalRank(basis, tolerance)} dimensions after the integer-relation search: the differences lack the short integer relations of a lattice`,
      });
    }
    basis = refitToVectors(basis, vectors.slice(0, start + batchSize), tolerance);
  }
  return ok(basis);
}

/**
 * The basis refitted by least squares to every vector seen so far, at their rounded coordinates:
 * rows carried from batch to batch as combinations of noisy rows would otherwise gather noise.
 * Unchanged when some vector is not near a lattice point (the caller's checks will say so).
 */
function refitToVectors(basis: number[][], vectors: readonly (readonly number[])[], tolerance: number): number[][] {
  if (basis.length === 0) return basis;
  const coordinatesOf = coordinateMap(basis);
  const codes: number[][] = [];
  for (const v of vectors) {
    const c = coordinatesOf(v);
    const z = c.map((x) => Math.round(x));
    if (c.some((x, i) => Math.abs(x - z[i]!) > MAX_COORDINATE_ERROR)) return basis;
    codes.push(z);
  }
  const zeros = new Array<number>(basis[0]!.length).fill(0);
  const refit = refitToCodes(vectors, codes, zeros).basis;
  // Rank at the tolerance: at 0, floating-point residues count as directions and no refit passed.
  return numericalRank(refit, tolerance) === refit.length ? refit : basis;
}

// ---------------------------------------------------------------- the reduction

/**
 * A reduced basis of the lattice the real generators generate, when they generate one: every
 * generator must be a combination of an independent subset S with rational coefficients of
 * denominator ≤ maxDenominator (to within the tolerance). The lattice is then computed exactly in
 * S's coordinates (HNF) and LLL-reduced in the real geometry.
 */
function reduceGenerators(generators: readonly (readonly number[])[], settings: Settings): Result<number[][], LatticeFailure> {
  const { tolerance, maxDenominator } = settings;
  const subset = independentSubset(generators, tolerance).map((i) => generators[i]!);
  if (subset.length === 0) return fail({ reason: "no_lattice", detail: `every generator is within ${tolerance} of zero` });
  const coordinatesOf = coordinateMap(subset);
  const coordinates: Rational[][] = [];
  for (let g = 0; g < generators.length; g++) {
    const real = coordinatesOf(generators[g]!);
    const snapped = real.map((c) => fromFloat(c, maxDenominator));
    const miss = normInf(subtract(generators[g]!, combineRational(snapped, subset)));
    if (miss > tolerance) {
      const shown = real.map((c) => c.toPrecision(6)).join(", ");
      return fail({
        reason: "no_lattice",
        detail: `generator ${g} has coordinates (${shown}) in ${subset.length} independent generators; with denominators ≤ ${maxDenominator} it misses by ${miss.toPrecision(3)} > ${tolerance}`,
      });
    }
    coordinates.push(snapped);
  }
  const scale = commonDenominator(coordinates);
  const hnf = hermiteNormalForm(coordinates.map((row) => row.map((x) => (x.num * scale) / x.den)));
  // Real rows of the HNF basis, then LLL on them quantised to 52 bits: exact integer steps
  // choose the unimodular T; the real basis is T·HNF applied to S in floating point.
  const toReal = (row: readonly bigint[]): number[] => combine(row, subset).map((x) => x / Number(scale));
  const hnfReal = hnf.map(toReal);
  const { transform } = lllReduce(quantise(hnfReal));
  const reduced = transform.map((t) => hnf[0]!.map((_, j) => t.reduce((s, tk, k) => s + tk * hnf[k]![j]!, 0n)));
  return ok(reduced.map(toReal).map(largestComponentPositive));
}

// ---------------------------------------------------------------- codes and description length

function assess(
  points: readonly (readonly number[])[],
  basis: number[][],
  offset: number[],
  construction: LatticeFit["construction"],
  { tolerance }: Settings,
): Result<LatticeFit, LatticeFailure> {
  const smallestStep = Math.min(...gramSchmidtHeights(basis));
  if (smallestStep < MIN_STEP_IN_TOLERANCES * tolerance) {
    return fail({
      reason: "no_lattice",
      detail: `the lattice's smallest step ${smallestStep.toPrecision(3)} is below ${MIN_STEP_IN_TOLERANCES} × tolerance ${tolerance}: it would fit any points`,
    });
  }
  const coordinatesOf = coordinateMap(basis);
  const codes: number[][] = [];
  let maxResidual = 0;
  let maxCoordinateError = 0;
  let integerBits = 0;
  let residualBits = 0;
  for (let p = 0; p < points.length; p++) {
    const h = points[p]!;
    const c = coordinatesOf(subtract(h, offset));
    const z = c.map((x) => Math.round(x) + 0);
    const error = Math.max(0, ...c.map((x, i) => Math.abs(x - z[i]!)));
    if (error > MAX_COORDINATE_ERROR) {
      return fail({
        reason: "ambiguous_codes",
        detail: `point ${p} has coordinates (${c.map((x) => x.toFixed(3)).join(", ")}), ${error.toFixed(3)} from the nearest code`,
      });
    }
    const residual = subtract(h, add(combine(z, basis), offset));
    codes.push(z);
    maxCoordinateError = Math.max(maxCoordinateError, error);
    maxResidual = Math.max(maxResidual, normInf(residual));
    // The paper's MDL: an integer costs log2(1 + |z|) bits plus a sign bit; a residual is written
    // at the tolerance's precision, the scale below which states are not told apart anyway.
    for (const zi of z) integerBits += Math.log2(1 + Math.abs(zi)) + 1;
    for (const e of residual) residualBits += Math.log2(1 + Math.abs(e) / tolerance);
  }
  const collision = findCollision(points, codes, tolerance);
  if (collision) return fail(collision);
  return ok({
    basis,
    offset,
    codes,
    construction,
    maxResidual,
    maxCoordinateError,
    integerBits,
    residualBits,
    bits: integerBits + residualBits,
  });
}

/** Two points more than 2·tolerance apart (L∞) that share a code, if any. */
function findCollision(points: readonly (readonly number[])[], codes: readonly number[][], tolerance: number): LatticeFailure | null {
  // Per code, the lowest and highest point in each component: a pair farther apart than 2·tolerance
  // in L∞ exists exactly when some component's range exceeds it.
  const groups = new Map<string, { low: number[]; high: number[] }>();
  for (let p = 0; p < points.length; p++) {
    const key = codes[p]!.join(",");
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { low: points[p]!.map(() => p), high: points[p]!.map(() => p) });
      continue;
    }
    const h = points[p]!;
    for (let j = 0; j < h.length; j++) {
      if (h[j]! < points[group.low[j]!]![j]!) group.low[j] = p;
      if (h[j]! > points[group.high[j]!]![j]!) group.high[j] = p;
      const [a, b] = [group.low[j]!, group.high[j]!];
      const distance = points[b]![j]! - points[a]![j]!;
      if (distance > 2 * tolerance) {
        return {
          reason: "collision",
          detail: `points ${Math.min(a, b)} and ${Math.max(a, b)} are ${distance.toPrecision(3)} apart but both get code [${key}]`,
        };
      }
    }
  }
  return null;
}

/**
 * Least-squares A and b for fixed codes: minimise Σ‖h − (z·A + b)‖² (b held at `offset` when
 * given), by the normal equations of the design rows [z, 1].
 */
function refitToCodes(points: readonly (readonly number[])[], codes: readonly number[][], offset: readonly number[] | null): { basis: number[][]; offset: number[] } {
  const r = codes[0]!.length;
  const design = codes.map((z) => (offset ? z : [...z, 1]));
  const targets = offset ? points.map((h) => subtract(h, offset)) : points;
  const k = design[0]!.length;
  const normal = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => design.reduce((s, x) => s + x[i]! * x[j]!, 0)));
  const normalInverse = inverse(normal);
  // The codes come from a basis the points span, so they span every code direction.
  if (normalInverse === null) throw new RangeError("refitToCodes: the codes do not span the lattice");
  const moments = Array.from({ length: k }, (_, i) => targets[0]!.map((_, c) => design.reduce((s, x, p) => s + x[i]! * targets[p]![c]!, 0)));
  const solution = normalInverse.map((row) => combine(row, moments));
  return { basis: solution.slice(0, r), offset: offset ? offset.slice() : solution[r]! };
}

// ---------------------------------------------------------------- small linear algebra

/**
 * Indices of a maximal independent subset, greedily in the given order (so callers put preferred
 * generators first): a vector is kept when its part outside the span of those kept so far exceeds
 * the tolerance (L∞). Gram–Schmidt runs twice per vector to stay orthogonal in floating point.
 */
function independentSubset(vectors: readonly (readonly number[])[], tolerance: number): number[] {
  const orthonormal: number[][] = [];
  const kept: number[] = [];
  vectors.forEach((v, i) => {
    let r = v.slice();
    for (let pass = 0; pass < 2; pass++) for (const q of orthonormal) r = subtract(r, scaled(q, dot(r, q)));
    if (normInf(r) > tolerance) {
      kept.push(i);
      orthonormal.push(scaled(r, 1 / norm2(r)));
    }
  });
  return kept;
}

/**
 * The number of directions in which the vectors reach beyond the tolerance: Gram–Schmidt with
 * pivoting (always the vector with the largest remaining part next), which, unlike the greedy
 * order above, never builds on a direction known only to a few tolerances.
 */
function numericalRank(vectors: readonly (readonly number[])[], tolerance: number): number {
  const residuals = vectors.map((v) => v.slice());
  for (let rank = 0; ; rank++) {
    let pivot = -1;
    for (let i = 0; i < residuals.length; i++) if (pivot < 0 || normInf(residuals[i]!) > normInf(residuals[pivot]!)) pivot = i;
    if (pivot < 0 || !(normInf(residuals[pivot]!) > tolerance)) return rank;
    const q = scaled(residuals[pivot]!, 1 / norm2(residuals[pivot]!));
    for (let i = 0; i < residuals.length; i++) residuals[i] = subtract(residuals[i]!, scaled(q, dot(residuals[i]!, q)));
  }
}

/** ‖b*_i‖₂ of the rows in order: the spacing of the lattice's layers. */
function gramSchmidtHeights(rows: readonly (readonly number[])[]): number[] {
  const orthonormal: number[][] = [];
  return rows.map((v) => {
    let r = v.slice();
    for (let pass = 0; pass < 2; pass++) for (const q of orthonormal) r = subtract(r, scaled(q, dot(r, q)));
    const height = norm2(r);
    orthonormal.push(scaled(r, height > 0 ? 1 / height : 0));
    return height;
  });
}

/** Least-squares coordinates in independent rows: c = (A·Aᵀ)⁻¹·A·v, the inverse computed once. */
export function coordinateMap(rows: readonly (readonly number[])[]): (v: readonly number[]) => number[] {
  const inverseGram = inverse(rows.map((a) => rows.map((b) => dot(a, b))));
  if (inverseGram === null) throw new RangeError("coordinateMap: the rows are not linearly independent");
  return (v) => {
    const projections = rows.map((a) => dot(a, v));
    return inverseGram.map((row) => dot(row, projections));
  };
}

/** Integer rows, at 52 significant bits of the largest entry, for an exact LLL of real rows. */
function quantise(rows: readonly (readonly number[])[]): bigint[][] {
  const largest = Math.max(...rows.flat().map(Math.abs));
  const scale = 2 ** (52 - Math.ceil(Math.log2(largest)));
  return rows.map((row) => row.map((x) => BigInt(Math.round(x * scale))));
}

/** The first MAX distinct points in input order (a point within tolerance of a kept one is a repeat). */
function distinctPoints(points: readonly (readonly number[])[], tolerance: number, max: number): (readonly number[])[] {
  const kept: (readonly number[])[] = [];
  for (const p of points) {
    if (kept.length >= max) break;
    if (!kept.some((q) => normInf(subtract(p, q)) <= tolerance)) kept.push(p);
  }
  return kept;
}

/** Σ_k c_k·rows_k. */
function combine(coefficients: readonly (number | bigint)[], rows: readonly (readonly number[])[]): number[] {
  const out = new Array<number>(rows[0]?.length ?? 0).fill(0);
  coefficients.forEach((c, k) => {
    const f = Number(c);
    if (f !== 0) rows[k]!.forEach((x, j) => (out[j]! += f * x));
  });
  return out;
}

function combineRational(coefficients: readonly Rational[], rows: readonly (readonly number[])[]): number[] {
  return combine(coefficients.map((c) => Number(c.num) / Number(c.den)), rows);
}

/** Flip the row so its largest-magnitude component is positive: one canonical sign per row. */
function largestComponentPositive(row: number[]): number[] {
  const largest = row.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
  return largest < 0 ? row.map((x) => -x + 0) : row;
}

function checkVectors(what: string, vectors: readonly (readonly number[])[], n: number): void {
  vectors.forEach((v, i) => {
    if (v.length !== n) throw new RangeError(`fitLattices: ${what}[${i}] has length ${v.length}, the points have ${n}`);
    if (!v.every(Number.isFinite)) throw new RangeError(`fitLattices: ${what}[${i}] is not finite`);
  });
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm2 = (a: readonly number[]): number => Math.sqrt(dot(a, a));
const normInf = (a: readonly number[]): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const subtract = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x - b[i]!);
const add = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x + b[i]!);
const scaled = (a: readonly number[], f: number): number[] => a.map((x) => x * f);
