/**
 * Making networks: PyTorch-style initial parameters, and the Rnn value for a flat parameter vector.
 */
import type { Random } from "../common/random.js";
import { flattenLayers, paramLayout, unflattenLayers } from "./params.js";
import type { Rnn, RnnConfig, TrainingRecord } from "./types.js";

/**
 * Initial parameters as torch.nn.Linear draws them: every weight and bias of a layer with fanIn
 * inputs uniform in (−1/√fanIn, 1/√fanIn). Drawn in flat-layout order (layer by layer, weight then bias).
 */
export function initParams(config: RnnConfig, rng: Random): Float64Array {
  const layout = paramLayout(config);
  const params = new Float64Array(layout.size);
  for (const slot of [...layout.transition, ...layout.readout]) {
    const bound = 1 / Math.sqrt(slot.inSize);
    const end = slot.biasOffset + slot.outSize;
    for (let i = slot.weightOffset; i < end; i++) params[i] = (2 * rng.next() - 1) * bound;
  }
  return params;
}

/** The serialisable network for a flat parameter vector. */
export function rnnFromParams(config: RnnConfig, params: Float64Array, training: TrainingRecord | null = null): Rnn {
  const expected = paramLayout(config).size;
  if (params.length !== expected) throw new Error(`parameter vector has ${params.length} entries, the config needs ${expected}`);
  const { transition, readout } = unflattenLayers(config, params);
  return { kind: "rnn", version: 1, config, transition, readout, training };
}

/** The flat parameter vector of a network (a fresh copy). */
export function paramsOf(rnn: Rnn): Float64Array {
  return flattenLayers(rnn.config, rnn.transition, rnn.readout);
}
