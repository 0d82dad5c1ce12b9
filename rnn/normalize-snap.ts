/**
 * Snapping weights to integers, and retraining around the snapped ones (rnn/normalize.ts gates both).
 *
 * Tolerance: an entry w of a layer is set to round(w) when |w − round(w)| ≤ threshold · scale, with
 * scale = max(1, max |weight| of that layer). A layer of unit-sized weights (the usual case after a
 * change of basis that puts the input on an integer grid) is snapped within ±threshold; a layer of
 * large weights within the same fraction of its largest weight, since an error of 0.02 means less
 * beside a weight of 40 than beside a weight of 1. Biases use their layer's scale. "Entries" here
 * are weights and biases alike.
 */
import type { Example } from "../task/types.js";
import { paramsOf, rnnFromParams } from "./init.js";
import { paramLayout, type LayerSlot } from "./params.js";
import { trainRnn } from "./train.js";
import type { Rnn } from "./types.js";

/** Which layers to snap: "transition.0", "readout.1", …; all when omitted. */
export type LayerName = `${"transition" | "readout"}.${number}`;

export interface Snapped {
  readonly rnn: Rnn;
  /** Entries moved to an integer by this call. */
  readonly moved: number;
  /** Flat layout: 1 where the entry is an integer after snapping (what a retraining should hold fixed). */
  readonly integer: Uint8Array;
}

/** Every layer of a network with its name and flat-layout slot. */
export function layerSlots(rnn: Rnn): Array<{ readonly name: LayerName; readonly slot: LayerSlot }> {
  const layout = paramLayout(rnn.config);
  return [
    ...layout.transition.map((slot, l) => ({ name: `transition.${l}` as LayerName, slot })),
    ...layout.readout.map((slot, l) => ({ name: `readout.${l}` as LayerName, slot })),
  ];
}

/** Snap entries within threshold · scale of an integer (see the file comment), in the named layers. */
export function snapIntegers(rnn: Rnn, threshold: number, layers?: readonly LayerName[]): Snapped {
  const params = paramsOf(rnn);
  let moved = 0;
  for (const { name, slot } of layerSlots(rnn)) {
    if (layers !== undefined && !layers.includes(name)) continue;
    const weightEnd = slot.weightOffset + slot.inSize * slot.outSize;
    let scale = 1;
    for (let i = slot.weightOffset; i < weightEnd; i++) scale = Math.max(scale, Math.abs(params[i]!));
    const tol = threshold * scale;
    for (let i = slot.weightOffset; i < slot.biasOffset + slot.outSize; i++) {
      const w = params[i]!;
      const r = Math.round(w) + 0; // + 0 turns −0 into 0
      if (w !== r && Math.abs(w - r) <= tol) {
        params[i] = r;
        moved++;
      }
    }
  }
  const integer = new Uint8Array(params.length);
  for (let i = 0; i < params.length; i++) integer[i] = Number.isInteger(params[i]!) ? 1 : 0;
  return { rnn: { ...rnnFromParams(rnn.config, params), training: rnn.training }, moved, integer };
}

/** A non-integer entry near an integer: its flat index and its distance as a fraction of its layer's scale. */
export interface NearInteger {
  readonly index: number;
  readonly layer: LayerName;
  readonly value: number;
  readonly relativeDistance: number;
}

/** Non-integer entries within maxFraction × layer scale of an integer, nearest first. */
export function nearIntegers(rnn: Rnn, maxFraction: number): NearInteger[] {
  const params = paramsOf(rnn);
  const out: NearInteger[] = [];
  for (const { name, slot } of layerSlots(rnn)) {
    const weightEnd = slot.weightOffset + slot.inSize * slot.outSize;
    let scale = 1;
    for (let i = slot.weightOffset; i < weightEnd; i++) scale = Math.max(scale, Math.abs(params[i]!));
    for (let i = slot.weightOffset; i < slot.biasOffset + slot.outSize; i++) {
      const w = params[i]!;
      const d = Math.abs(w - Math.round(w)) / scale;
      if (!Number.isInteger(w) && d <= maxFraction) out.push({ index: i, layer: name, value: w, relativeDistance: d });
    }
  }
  return out.sort((a, b) => a.relativeDistance - b.relativeDistance || a.index - b.index);
}

/** The network with the given flat entries rounded to the nearest integer. */
export function roundEntries(rnn: Rnn, indices: readonly number[]): Rnn {
  const params = paramsOf(rnn);
  for (const i of indices) params[i] = Math.round(params[i]!) + 0;
  return { ...rnnFromParams(rnn.config, params), training: rnn.training };
}

/** Exact zeros, and nonzero exact integers, over all weights and biases. */
export function countEntries(rnn: Rnn): { readonly zeros: number; readonly integers: number; readonly total: number } {
  const params = paramsOf(rnn);
  let zeros = 0;
  let integers = 0;
  for (const w of params) {
    if (w === 0) zeros++;
    else if (Number.isInteger(w)) integers++;
  }
  return { zeros, integers, total: params.length };
}

export interface RetrainOptions {
  readonly seed: number;
  readonly steps: number;
  readonly learningRate: number;
}

/**
 * A short training run from `rnn` with the `frozen` entries held fixed: the free entries make up
 * for the snapped ones. Stops early once perfect on `heldOut`. The result keeps `rnn`'s training
 * record (the network's provenance), not the retraining's.
 */
export function retrainFrozen(rnn: Rnn, frozen: Uint8Array, train: readonly Example[], heldOut: readonly Example[], opts: RetrainOptions): Rnn {
  const retrained = trainRnn(rnn.config, { train, test: heldOut }, {
    seed: opts.seed,
    maxSteps: opts.steps,
    learningRate: opts.learningRate,
    initialParams: paramsOf(rnn),
    frozen,
    evalEvery: Math.max(1, Math.min(50, Math.floor(opts.steps / 4))),
  });
  return { ...retrained, training: rnn.training };
}
