/**
 * Rnn ⇄ JSON. Weights are written as JSON numbers (shortest round-trip form), so a saved model
 * reloads bit-for-bit. Loading validates the shape against the config and names the file and field
 * at fault.
 */
import { z } from "zod";
import { fail, ok, type Result } from "../common/result.js";
import { paramLayout, type LayerSlot } from "./params.js";
import type { Rnn } from "./types.js";

export type RnnJsonFailureCode = "invalid_json" | "invalid_rnn" | "shape_mismatch";

export interface RnnJsonFailure {
  readonly code: RnnJsonFailureCode;
  /** A one-line description naming the file (its label) and the field. */
  readonly message: string;
}

const count = z.number().int().min(1);
const intRange = z
  .object({ min: z.number().int(), max: z.number().int() })
  .refine((r) => r.min <= r.max, { message: "min must be <= max" });

const inputEncoding = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("raw") }),
  z.object({ kind: z.literal("one-hot"), ranges: z.array(intRange) }),
]);

const outputHead = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("regression"), loss: z.enum(["log", "mse"]) }),
  z.object({ kind: z.literal("classification"), ranges: z.array(intRange) }),
]);

// A depth-1 MLP has no hidden layer, so its width is unused (0 by convention).
const mlpShape = z
  .object({ depth: count, width: z.number().int().nonnegative() })
  .refine((shape) => shape.depth === 1 || shape.width >= 1, { message: "an MLP of depth >= 2 needs width >= 1", path: ["width"] });

const rnnConfig = z.object({
  inputDim: count,
  outputDim: count,
  hiddenSize: count,
  transition: mlpShape,
  readout: mlpShape,
  encoding: inputEncoding,
  head: outputHead,
});

const denseLayer = z.object({
  inSize: count,
  outSize: count,
  weight: z.array(z.number()),
  bias: z.array(z.number()),
});

/** JSON has no NaN: a diverged run's loss is written as null and read back as NaN. */
const lossNumber = z
  .number()
  .nullable()
  .transform((v) => (v === null ? Number.NaN : v));

const trainingRecord = z.object({
  seed: z.number().int(),
  kernel: z.enum(["typescript", "openblas"]),
  steps: z.number().int().min(0),
  seconds: z.number().min(0),
  batchSize: count,
  learningRate: z.number(),
  weightDecay: z.number(),
  finalLoss: lossNumber,
  heldOutAccuracy: z.number().min(0).max(1),
  heldOutSequences: z.number().int().min(0),
  perfect: z.boolean(),
  stopReason: z.enum(["perfect", "step_limit", "time_limit", "diverged", "plateau"]),
});

const rnnSchema = z.object({
  kind: z.literal("rnn"),
  version: z.literal(1),
  config: rnnConfig,
  transition: z.array(denseLayer),
  readout: z.array(denseLayer),
  training: trainingRecord.nullable(),
});

/** The model as JSON text: two-space indented, with each weight and bias array on one line. */
export function rnnToJson(rnn: Rnn): string {
  const text = JSON.stringify(rnn, null, 2);
  // Arrays of plain numbers (no quotes, braces or brackets inside) collapse onto one line.
  return text.replace(/\[[\s\d.eE+,-]*\]/g, (m) => m.replace(/\s+/g, "")) + "\n";
}

/** Parse and validate a model; `fileLabel` (a path, usually) prefixes every message. */
export function rnnFromJson(text: string, fileLabel: string): Result<Rnn, RnnJsonFailure> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail({ code: "invalid_json", message: `${fileLabel}: not JSON (${(e as Error).message})` });
  }
  const parsed = rnnSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    return fail({ code: "invalid_rnn", message: `${fileLabel}: ${path}: ${issue.message}` });
  }
  const rnn = parsed.data as Rnn;
  const shapeError = checkShape(rnn);
  if (shapeError !== null) return fail({ code: "shape_mismatch", message: `${fileLabel}: ${shapeError}` });
  return ok(rnn);
}

/** The layers must be exactly those the config implies (rnn/params.ts), and ranges one per component. */
function checkShape(rnn: Rnn): string | null {
  const { config } = rnn;
  if (config.encoding.kind === "one-hot" && config.encoding.ranges.length !== config.inputDim) {
    return `config.encoding.ranges: ${config.encoding.ranges.length} ranges for inputDim ${config.inputDim}`;
  }
  if (config.head.kind === "classification" && config.head.ranges.length !== config.outputDim) {
    return `config.head.ranges: ${config.head.ranges.length} ranges for outputDim ${config.outputDim}`;
  }
  const layout = paramLayout(config);
  const check = (name: "transition" | "readout", slots: readonly LayerSlot[]): string | null => {
    const layers = rnn[name];
    if (layers.length !== slots.length) return `${name}: ${layers.length} layers, config says ${slots.length}`;
    for (let l = 0; l < slots.length; l++) {
      const layer = layers[l]!;
      const slot = slots[l]!;
      const where = `${name}.${l}`;
      if (layer.inSize !== slot.inSize || layer.outSize !== slot.outSize) {
        return `${where}: ${layer.outSize}×${layer.inSize} layer, config says ${slot.outSize}×${slot.inSize}`;
      }
      if (layer.weight.length !== slot.inSize * slot.outSize) return `${where}.weight: ${layer.weight.length} entries, expected ${slot.inSize * slot.outSize}`;
      if (layer.bias.length !== slot.outSize) return `${where}.bias: ${layer.bias.length} entries, expected ${slot.outSize}`;
    }
    return null;
  };
  return check("transition", layout.transition) ?? check("readout", layout.readout);
}
