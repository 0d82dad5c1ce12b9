/**
 * Pruning for rnn/normalize.ts: what the data says a network does not use.
 *
 * One pass over the data (`stateStatistics`) records, for the hidden states h_t (t ≥ 0), their
 * range, mean and second moments, and for every MLP hidden unit its largest pre-activation. From
 * those: hidden components that are constant (removed, the constant folded into the biases of the
 * layers that read them), MLP units whose ReLU is never active (removed: they contribute exactly
 * 0), hidden components that are multiples of another (merged), and MLP units whose incoming
 * weights are a positive multiple of another's (merged, exact for every input).
 */
import { fail, ok, type Result } from "../common/result.js";
import type { Example } from "../task/types.js";
import { identity, zeros, type Matrix } from "./linalg.js";
import { layerFrom, layerMatrix, reparameterize } from "./normalize-basis.js";
import { dense, encodeStep, relu } from "./reference.js";
import type { DenseLayer, Rnn } from "./types.js";

export interface StateStatistics {
  /** Hidden states visited (one per position of the data). */
  readonly states: number;
  /** positionsPerStep[t]: how many sequences have a step t. */
  readonly positionsPerStep: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly mean: readonly number[];
  /** E[h hᵀ] over the states. */
  readonly secondMoment: Matrix;
  /** E[(h − mean)(h − mean)ᵀ]. */
  readonly covariance: Matrix;
  /** For each hidden (ReLU) layer of the transition MLP, each unit's largest pre-activation. */
  readonly transitionPeaks: readonly (readonly number[])[];
  readonly readoutPeaks: readonly (readonly number[])[];
}

/** Run the network over the examples from h₋₁ = 0 and summarise its states and MLP units. */
export function stateStatistics(rnn: Rnn, examples: readonly Example[]): StateStatistics {
  const n = rnn.config.hiddenSize;
  const min = new Array<number>(n).fill(Infinity);
  const max = new Array<number>(n).fill(-Infinity);
  // Running mean and centred co-moment (Welford): E[hhᵀ] − mean·meanᵀ would cancel badly.
  const mean = new Array<number>(n).fill(0);
  const coMoment = zeros(n, n);
  const delta = new Array<number>(n).fill(0);
  const positionsPerStep: number[] = [];
  const peaks = (layers: readonly DenseLayer[]): number[][] => layers.slice(0, -1).map((l) => new Array<number>(l.outSize).fill(-Infinity));
  const transitionPeaks = peaks(rnn.transition);
  const readoutPeaks = peaks(rnn.readout);
  let states = 0;
  for (const ex of examples) {
    let h = new Array<number>(n).fill(0);
    ex.x.forEach((step, t) => {
      h = mlpWithPeaks(rnn.transition, [...h, ...encodeStep(rnn.config.encoding, step)], transitionPeaks);
      mlpWithPeaks(rnn.readout, h, readoutPeaks);
      positionsPerStep[t] = (positionsPerStep[t] ?? 0) + 1;
      states++;
      for (let i = 0; i < n; i++) {
        const v = h[i]!;
        if (v < min[i]!) min[i] = v;
        if (v > max[i]!) max[i] = v;
        delta[i] = v - mean[i]!;
        mean[i]! += delta[i]! / states;
      }
      for (let i = 0; i < n; i++) {
        const row = coMoment[i]!;
        for (let j = 0; j <= i; j++) row[j]! += delta[i]! * (h[j]! - mean[j]!);
      }
    });
  }
  const count = Math.max(1, states);
  const secondMoment = zeros(n, n);
  const covariance = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const c = coMoment[i]![j]! / count;
      covariance[i]![j] = covariance[j]![i] = c;
      secondMoment[i]![j] = secondMoment[j]![i] = c + mean[i]! * mean[j]!;
    }
  }
  return { states, positionsPerStep, min, max, mean, secondMoment, covariance, transitionPeaks, readoutPeaks };
}

/** The MLP forward pass (as rnn/reference.ts `mlp`), raising each hidden unit's peak pre-activation. */
function mlpWithPeaks(layers: readonly DenseLayer[], x: readonly number[], peaks: number[][]): number[] {
  let a = x.slice();
  layers.forEach((layer, l) => {
    a = dense(layer, a);
    if (l < layers.length - 1) {
      const peak = peaks[l]!;
      a.forEach((v, i) => {
        if (v > peak[i]!) peak[i] = v;
      });
      a = relu(a);
    }
  });
  return a;
}

/** Components whose range on the data is this small (relative to the largest |h|) count as constant. */
const CONSTANT_TOL = 1e-9;

/** Indices of hidden components that are constant on the data, with their value (0 for "dead"). */
function constantComponents(stats: StateStatistics): Array<{ index: number; value: number }> {
  const scale = Math.max(1, ...stats.min.map(Math.abs), ...stats.max.map(Math.abs));
  const out: Array<{ index: number; value: number }> = [];
  stats.min.forEach((lo, i) => {
    const hi = stats.max[i]!;
    if (stats.states > 0 && hi - lo <= CONSTANT_TOL * scale) out.push({ index: i, value: (lo + hi) / 2 });
  });
  return out;
}

/**
 * Exact pruning: MLP units never active on the data, and hidden components that are 0 on the data.
 * `what` says what was removed.
 */
export function pruneDeadUnits(rnn: Rnn, stats: StateStatistics): Result<{ rnn: Rnn; what: string }, string> {
  const scale = Math.max(1, ...stats.min.map(Math.abs), ...stats.max.map(Math.abs));
  const dead = constantComponents(stats).filter((c) => Math.abs(c.value) <= CONSTANT_TOL * scale);
  let next = rnn;
  const parts: string[] = [];
  const removable = dead.slice(0, rnn.config.hiddenSize - 1);
  if (removable.length > 0) {
    next = removeComponents(next, removable.map((c) => c.index), new Array<number>(rnn.config.hiddenSize).fill(0));
    parts.push(`${removable.length} hidden component${removable.length === 1 ? "" : "s"} always 0`);
  }
  const neverActive = (peaks: readonly (readonly number[])[]): number[][] => peaks.map((p) => p.flatMap((v, i) => (v > 0 ? [] : [i])));
  const t = removeMlpUnits(next.transition, neverActive(stats.transitionPeaks));
  const r = removeMlpUnits(next.readout, neverActive(stats.readoutPeaks));
  if (t.removed > 0) parts.push(`${t.removed} transition MLP unit${t.removed === 1 ? "" : "s"} never active`);
  if (r.removed > 0) parts.push(`${r.removed} readout MLP unit${r.removed === 1 ? "" : "s"} never active`);
  if (parts.length === 0) return fail("no hidden component is always 0 and every MLP unit is active somewhere");
  next = withMlps(next, t.layers, r.layers);
  return ok({ rnn: next, what: parts.join(", ") });
}

/** Hidden components constant but not 0 on the data: removed, the constant folded into biases. */
export function pruneConstantUnits(rnn: Rnn, stats: StateStatistics): Result<{ rnn: Rnn; what: string }, string> {
  const constants = constantComponents(stats).slice(0, rnn.config.hiddenSize - 1);
  if (constants.length === 0) return fail("no hidden component is constant on the data");
  const offset = new Array<number>(rnn.config.hiddenSize).fill(0);
  for (const c of constants) offset[c.index] = c.value;
  const values = constants.map((c) => `h${c.index} = ${c.value.toPrecision(4)}`).join(", ");
  return ok({ rnn: removeComponents(rnn, constants.map((c) => c.index), offset), what: `constant ${values}` });
}

/**
 * Hidden components that cannot reach the output: not read by the readout, and not read (through
 * the transition) by any component that is. Found from the weights alone (exact zeros), so removing
 * them is exact for every input. With an MLP transition a component whose column in the first
 * layer is nonzero counts as read by all.
 */
export function pruneUnreadUnits(rnn: Rnn): Result<{ rnn: Rnn; what: string }, string> {
  const n = rnn.config.hiddenSize;
  const readout = layerMatrix(rnn.readout[0]!);
  const first = layerMatrix(rnn.transition[0]!);
  const linear = rnn.transition.length === 1;
  const needed = Array.from({ length: n }, (_, j) => readout.some((row) => row[j] !== 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (let j = 0; j < n; j++) {
      if (needed[j]) continue;
      const readBy = linear ? first.some((row, i) => needed[i] && row[j] !== 0) : needed.some(Boolean) && first.some((row) => row[j] !== 0);
      if (readBy) needed[j] = changed = true;
    }
  }
  const unread = needed.flatMap((x, j) => (x ? [] : [j])).slice(0, n - 1);
  if (unread.length === 0) return fail("every hidden component can reach the output");
  return ok({
    rnn: removeComponents(rnn, unread, new Array<number>(n).fill(0)),
    what: `${unread.map((j) => `h${j}`).join(", ")} never reach the output`,
  });
}

/**
 * Candidates for dropping a weakly read hidden component: for each component j whose readout
 * weights are its only path to the output, the network with those weights set to 0 and j removed
 * (then unread). Ordered by j's largest contribution to the readout's first layer
 * (max |R₁[·][j]| · max |h_j| on the data), smallest first. Approximate: the gate decides.
 */
export function weakReadCandidates(rnn: Rnn, stats: StateStatistics): Array<{ readonly component: number; readonly contribution: number; readonly rnn: Rnn }> {
  const n = rnn.config.hiddenSize;
  const r1 = rnn.readout[0]!;
  const rows = layerMatrix(r1);
  const out: Array<{ component: number; contribution: number; rnn: Rnn }> = [];
  for (let j = 0; j < n && n > 1; j++) {
    const weight = Math.max(...rows.map((row) => Math.abs(row[j]!)));
    if (weight === 0) continue;
    const dropped: Rnn = { ...rnn, readout: [layerFrom(rows.map((row) => row.map((v, k) => (k === j ? 0 : v))), r1.bias), ...rnn.readout.slice(1)] };
    const pruned = pruneUnreadUnits(dropped);
    if (!pruned.ok || pruned.value.rnn.config.hiddenSize >= n) continue;
    const size = Math.max(Math.abs(stats.min[j]!), Math.abs(stats.max[j]!));
    out.push({ component: j, contribution: weight * size, rnn: pruned.value.rnn });
  }
  return out.sort((a, b) => a.contribution - b.contribution || a.component - b.component);
}

/** Relative RMS residual below which h_j counts as α · h_i. */
const DUPLICATE_TOL = 1e-6;

/**
 * Hidden components that are multiples of another on the data (h_j ≈ α h_i, least squares α) are
 * merged into it; MLP units whose incoming weights and bias are a positive multiple of another
 * unit's are merged (relu(α z) = α relu(z), so that is exact).
 */
export function pruneDuplicateUnits(rnn: Rnn, stats: StateStatistics): Result<{ rnn: Rnn; what: string }, string> {
  const n = rnn.config.hiddenSize;
  const m = stats.secondMoment;
  const mergedInto = new Array<{ into: number; alpha: number } | null>(n).fill(null);
  for (let j = n - 1; j >= 1; j--) {
    for (let i = 0; i < j; i++) {
      if (mergedInto[i] !== null || !(m[i]![i]! > 0) || !(m[j]![j]! > 0)) continue;
      const alpha = m[i]![j]! / m[i]![i]!;
      // Σ (h_j − α h_i)² / Σ h_j², from the second moments.
      const residual = (m[j]![j]! - alpha * m[i]![j]!) / m[j]![j]!;
      if (residual <= DUPLICATE_TOL * DUPLICATE_TOL) {
        mergedInto[j] = { into: i, alpha };
        break;
      }
    }
  }
  const keep = mergedInto.flatMap((x, i) => (x === null ? [i] : []));
  const parts: string[] = [];
  let next = rnn;
  if (keep.length < n) {
    const p = zeros(n, keep.length);
    keep.forEach((i, k) => (p[i]![k] = 1));
    mergedInto.forEach((x, j) => {
      if (x !== null) p[j]![keep.indexOf(x.into)] = x.alpha;
    });
    const q = keep.map((i) => identity(n)[i]!);
    next = reparameterize(next, p, q);
    parts.push(mergedInto.flatMap((x, j) => (x === null ? [] : [`h${j} = ${x.alpha.toPrecision(4)}·h${x.into}`])).join(", "));
  }
  const t = mergeProportionalUnits(next.transition);
  const r = mergeProportionalUnits(next.readout);
  if (t.removed > 0) parts.push(`${t.removed} transition MLP unit${t.removed === 1 ? "" : "s"} merged`);
  if (r.removed > 0) parts.push(`${r.removed} readout MLP unit${r.removed === 1 ? "" : "s"} merged`);
  if (parts.length === 0) return fail("no hidden component is a multiple of another and no MLP units are proportional");
  return ok({ rnn: withMlps(next, t.layers, r.layers), what: parts.join(", ") });
}

/** Remove hidden components (their value on the data given in `offset`). */
function removeComponents(rnn: Rnn, indices: readonly number[], offset: readonly number[]): Rnn {
  const n = rnn.config.hiddenSize;
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => !indices.includes(i));
  const p = zeros(n, keep.length);
  keep.forEach((i, k) => (p[i]![k] = 1));
  const q = keep.map((i) => identity(n)[i]!);
  return reparameterize(rnn, p, q, offset);
}

/** The network with new MLP layers, the config's width updated to match. */
function withMlps(rnn: Rnn, transition: readonly DenseLayer[], readout: readonly DenseLayer[]): Rnn {
  const width = (layers: readonly DenseLayer[], old: number): number => (layers.length > 1 ? layers[0]!.outSize : old);
  return {
    ...rnn,
    config: {
      ...rnn.config,
      transition: { ...rnn.config.transition, width: width(transition, rnn.config.transition.width) },
      readout: { ...rnn.config.readout, width: width(readout, rnn.config.readout.width) },
    },
    transition,
    readout,
  };
}

/**
 * Remove hidden units of an MLP (units[l] for hidden layer l): rows of layer l, columns of l + 1.
 * The config has one width for all hidden layers, so every layer loses the same number: the first
 * k listed, k = the smallest count, and at least one unit stays.
 */
function removeMlpUnits(layers: readonly DenseLayer[], units: readonly (readonly number[])[]): { layers: DenseLayer[]; removed: number } {
  if (layers.length < 2) return { layers: layers.slice(), removed: 0 };
  const width = layers[0]!.outSize;
  const k = Math.min(width - 1, ...units.map((u) => u.length));
  if (k <= 0) return { layers: layers.slice(), removed: 0 };
  const out = layers.map(layerMatrix);
  const biases = layers.map((l) => l.bias.slice());
  units.forEach((list, l) => {
    const drop = new Set(list.slice(0, k));
    out[l] = out[l]!.filter((_, i) => !drop.has(i));
    biases[l] = biases[l]!.filter((_, i) => !drop.has(i));
    out[l + 1] = out[l + 1]!.map((row) => row.filter((_, i) => !drop.has(i)));
  });
  return { layers: out.map((w, l) => layerFrom(w, biases[l]!)), removed: k * units.length };
}

/** Relative tolerance for "incoming weights are a positive multiple". */
const PROPORTIONAL_TOL = 1e-9;

/**
 * Merge MLP units whose incoming weights (and bias) are a positive multiple of another's. Only for
 * one hidden layer: with more, merging changes the next layer's incoming weights, and the config's
 * single width would have to shrink in every layer alike.
 */
function mergeProportionalUnits(layers: readonly DenseLayer[]): { layers: DenseLayer[]; removed: number } {
  if (layers.length !== 2) return { layers: layers.slice(), removed: 0 };
  const merges: Array<Array<{ unit: number; into: number; alpha: number }>> = layers.slice(0, -1).map((layer) => {
    const rows = layerMatrix(layer).map((row, i) => [...row, layer.bias[i]!]);
    const found: Array<{ unit: number; into: number; alpha: number }> = [];
    const merged = new Set<number>();
    for (let j = rows.length - 1; j >= 1; j--) {
      for (let i = 0; i < j; i++) {
        if (merged.has(i)) continue;
        const alpha = proportionality(rows[i]!, rows[j]!);
        if (alpha !== null && alpha > 0) {
          found.push({ unit: j, into: i, alpha });
          merged.add(j);
          break;
        }
      }
    }
    return found;
  });
  const width = layers[0]!.outSize;
  const k = Math.min(width - 1, ...merges.map((m) => m.length));
  if (k <= 0) return { layers: layers.slice(), removed: 0 };
  const out = layers.map(layerMatrix);
  const biases = layers.map((l) => l.bias.slice());
  merges.forEach((list, l) => {
    const chosen = list.slice(0, k);
    // relu(row_j · x) = α relu(row_i · x): the next layer reads unit i with its column plus α · column j.
    for (const { unit, into, alpha } of chosen) for (const row of out[l + 1]!) row[into]! += alpha * row[unit]!;
    const drop = new Set(chosen.map((c) => c.unit));
    out[l] = out[l]!.filter((_, i) => !drop.has(i));
    biases[l] = biases[l]!.filter((_, i) => !drop.has(i));
    out[l + 1] = out[l + 1]!.map((row) => row.filter((_, i) => !drop.has(i)));
  });
  return { layers: out.map((w, l) => layerFrom(w, biases[l]!)), removed: k * merges.length };
}

/** α with b = α a (within tolerance), or null. */
function proportionality(a: readonly number[], b: readonly number[]): number | null {
  const aa = a.reduce((s, x) => s + x * x, 0);
  if (!(aa > 0)) return null;
  const alpha = a.reduce((s, x, i) => s + x * b[i]!, 0) / aa;
  const bb = b.reduce((s, x) => s + x * x, 0);
  const residual = b.reduce((s, x, i) => s + (x - alpha * a[i]!) ** 2, 0);
  return residual <= PROPORTIONAL_TOL * PROPORTIONAL_TOL * Math.max(bb, Number.MIN_VALUE) ? alpha : null;
}
