/**
 * The flat parameter vector shared by the kernels and the optimiser.
 * Layout: transition layers 0..d-1, then readout layers 0..d-1; each layer's weight
 * (row-major, outSize × inSize) followed by its bias (outSize).
 */
import type { DenseLayer, InputEncoding, OutputHead, RnnConfig } from "./types.js";

export interface LayerSlot {
  readonly inSize: number;
  readonly outSize: number;
  /** Offset of the weight matrix in the flat vector; the bias follows at weightOffset + outSize * inSize. */
  readonly weightOffset: number;
  readonly biasOffset: number;
}

export interface ParamLayout {
  readonly transition: readonly LayerSlot[];
  readonly readout: readonly LayerSlot[];
  readonly size: number;
  readonly encodedWidth: number;
  readonly headWidth: number;
}

export function encodedWidth(inputDim: number, encoding: InputEncoding): number {
  if (encoding.kind === "raw") return inputDim;
  return encoding.ranges.reduce((sum, r) => sum + (r.max - r.min + 1), 0);
}

export function headWidth(outputDim: number, head: OutputHead): number {
  if (head.kind === "regression") return outputDim;
  return head.ranges.reduce((sum, r) => sum + (r.max - r.min + 1), 0);
}

/** Layer sizes of an MLP of `depth` linear layers from `inSize` to `outSize` through hidden `width`. */
function mlpSizes(inSize: number, outSize: number, depth: number, width: number): Array<[number, number]> {
  const sizes: Array<[number, number]> = [];
  for (let l = 0; l < depth; l++) {
    const from = l === 0 ? inSize : width;
    const to = l === depth - 1 ? outSize : width;
    sizes.push([from, to]);
  }
  return sizes;
}

export function paramLayout(config: RnnConfig): ParamLayout {
  const enc = encodedWidth(config.inputDim, config.encoding);
  const head = headWidth(config.outputDim, config.head);
  let offset = 0;
  const slots = (sizes: Array<[number, number]>): LayerSlot[] =>
    sizes.map(([inSize, outSize]) => {
      const slot = { inSize, outSize, weightOffset: offset, biasOffset: offset + inSize * outSize };
      offset += inSize * outSize + outSize;
      return slot;
    });
  const h = config.hiddenSize;
  const transition = slots(mlpSizes(h + enc, h, config.transition.depth, config.transition.width));
  const readout = slots(mlpSizes(h, head, config.readout.depth, config.readout.width));
  return { transition, readout, size: offset, encodedWidth: enc, headWidth: head };
}

/** Number of trainable parameters. */
export function parameterCount(config: RnnConfig): number {
  return paramLayout(config).size;
}

/** Flatten a model's layers into the flat vector. */
export function flattenLayers(config: RnnConfig, transition: readonly DenseLayer[], readout: readonly DenseLayer[]): Float64Array {
  const layout = paramLayout(config);
  const params = new Float64Array(layout.size);
  const put = (slots: readonly LayerSlot[], layers: readonly DenseLayer[]): void => {
    slots.forEach((slot, l) => {
      const layer = layers[l]!;
      params.set(layer.weight, slot.weightOffset);
      params.set(layer.bias, slot.biasOffset);
    });
  };
  put(layout.transition, transition);
  put(layout.readout, readout);
  return params;
}

/** Split the flat vector back into layers (plain arrays, for JSON). */
export function unflattenLayers(config: RnnConfig, params: Float64Array): { transition: DenseLayer[]; readout: DenseLayer[] } {
  const layout = paramLayout(config);
  const take = (slots: readonly LayerSlot[]): DenseLayer[] =>
    slots.map((s) => ({
      inSize: s.inSize,
      outSize: s.outSize,
      weight: Array.from(params.subarray(s.weightOffset, s.weightOffset + s.inSize * s.outSize)),
      bias: Array.from(params.subarray(s.biasOffset, s.biasOffset + s.outSize)),
    }));
  return { transition: take(layout.transition), readout: take(layout.readout) };
}
