/** The TypeScript kernel against tfjs autodiff on the same network (tfjs CPU backend, float32). */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeBatches } from "../../rnn/batch.js";
import { paramsOf } from "../../rnn/init.js";
import { createTypeScriptKernel } from "../../rnn/kernel-ts.js";
import { paramLayout, type LayerSlot } from "../../rnn/params.js";
import type { Batch, RnnConfig } from "../../rnn/types.js";
import { makeConfig, randomExamples, randomRnn, type ConfigSpec } from "./helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Loss and gradient (in the flat layout) of the network built from tf ops. */
function tfLossAndGradient(config: RnnConfig, params: Float64Array, batch: Batch): { loss: number; grad: Float64Array } {
  const layout = paramLayout(config);
  const E = layout.encodedWidth;
  const D = config.outputDim;
  const slots = [...layout.transition, ...layout.readout];
  const weights = slots.map((s) => tf.variable(tf.tensor2d(Array.from(params.subarray(s.weightOffset, s.weightOffset + s.inSize * s.outSize)), [s.outSize, s.inSize])));
  const biases = slots.map((s) => tf.variable(tf.tensor1d(Array.from(params.subarray(s.biasOffset, s.biasOffset + s.outSize)))));
  const nT = layout.transition.length;
  const mlp = (x: tf.Tensor2D, first: number, depth: number): tf.Tensor2D => {
    let a = x;
    for (let l = 0; l < depth; l++) {
      a = tf.add(tf.matMul(a, weights[first + l]!, false, true), biases[first + l]!);
      if (l < depth - 1) a = tf.relu(a);
    }
    return a;
  };
  const { size: B, seqLen: T } = batch;
  const lossFn = (): tf.Scalar => {
    let h: tf.Tensor2D = tf.zeros([B, config.hiddenSize]);
    let total: tf.Scalar = tf.scalar(0);
    for (let t = 0; t < T; t++) {
      const x = tf.tensor2d(Array.from(batch.inputs.subarray(t * B * E, (t + 1) * B * E)), [B, E]);
      const y = tf.tensor2d(Array.from(batch.targets.subarray(t * B * D, (t + 1) * B * D)), [B, D]);
      h = mlp(tf.concat([h, x], 1), 0, nT);
      const out = mlp(h, nT, layout.readout.length);
      const head = config.head;
      if (head.kind === "regression") {
        const e = tf.sub(out, y);
        total = tf.add(total, head.loss === "log" ? tf.mul(0.5, tf.sum(tf.log1p(tf.square(e)))) : tf.sum(tf.square(e)));
      } else {
        let start = 0;
        head.ranges.forEach((r, j) => {
          const n = r.max - r.min + 1;
          const logits = tf.slice(out, [0, start], [B, n]);
          const target = tf.oneHot(tf.sub(tf.slice(y, [0, j], [B, 1]).reshape([B]), r.min).toInt(), n);
          total = tf.sub(total, tf.sum(tf.mul(target, tf.logSoftmax(logits))));
          start += n;
        });
      }
    }
    return tf.div(total, T * B * D);
  };
  const { value, grads } = tf.variableGrads(lossFn, [...weights, ...biases]);
  const grad = new Float64Array(params.length);
  slots.forEach((s: LayerSlot, n) => {
    grad.set(grads[weights[n]!.name]!.dataSync(), s.weightOffset);
    grad.set(grads[biases[n]!.name]!.dataSync(), s.biasOffset);
  });
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads), ...weights, ...biases]);
  return { loss, grad };
}

const cases: ConfigSpec[] = [
  { head: "log", encoding: "raw", transitionDepth: 2, readoutDepth: 2, hiddenSize: 4 },
  { head: "mse", encoding: "one-hot", transitionDepth: 1, readoutDepth: 2, hiddenSize: 3 },
  { head: "classification", encoding: "one-hot", transitionDepth: 2, readoutDepth: 1, hiddenSize: 4 },
  { head: "classification", encoding: "raw", transitionDepth: 3, readoutDepth: 3, hiddenSize: 2 },
];

describe("TypeScript kernel vs tfjs autodiff", () => {
  for (const spec of cases) {
    it(`${spec.head} ${spec.encoding} depths ${spec.transitionDepth}/${spec.readoutDepth}`, () => {
      const config = makeConfig(spec);
      const params = paramsOf(randomRnn(config, 17));
      // Both sides see the same float32-representable parameters.
      for (let i = 0; i < params.length; i++) params[i] = Math.fround(params[i]!);
      const [batch] = makeBatches(config, randomExamples(config, 9, 5, 23));
      const grad = new Float64Array(params.length);
      const loss = createTypeScriptKernel(config).lossAndGradient(params, batch!, grad);
      const reference = tfLossAndGradient(config, params, batch!);
      const scale = grad.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      let worst = 0;
      for (let i = 0; i < grad.length; i++) worst = Math.max(worst, Math.abs(grad[i]! - reference.grad[i]!) / Math.max(Math.abs(grad[i]!), 1e-2 * scale));
      console.log(`tfjs ${spec.head} ${spec.encoding} ${spec.transitionDepth}/${spec.readoutDepth}: loss ${loss.toPrecision(8)} vs ${reference.loss.toPrecision(8)}, max relative gradient error ${worst.toExponential(2)}`);
      expect(Math.abs(loss - reference.loss) / loss).toBeLessThan(1e-5);
      expect(worst).toBeLessThan(1e-4);
    });
  }
});
