import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../common/random.js";
import { createBatchSampler, flattenGroup, groupByLength, makeBatches } from "../../rnn/batch.js";
import { encodeStep } from "../../rnn/reference.js";
import { arbitraryConfig, makeConfig, randomExamples } from "./helpers.js";
import { sequences, sumLast2 } from "./data.js";

describe("batches", () => {
  const config = makeConfig({ inputDim: 1, outputDim: 1, encoding: "one-hot", inputRange: { min: 0, max: 2 } });

  it("encodes one-hot, time-major, and groups sequences by length", () => {
    const examples = [
      { x: [[2], [0]], y: [[1], [2]] },
      { x: [[1]], y: [[7]] },
      { x: [[0], [1]], y: [[3], [4]] },
    ];
    const batches = makeBatches(config, examples);
    expect(batches.map((b) => [b.seqLen, b.size])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const two = batches[1]!;
    // inputs[(t * size + b) * width + i]: t=0 → [2], [0]; t=1 → [0], [1].
    expect(Array.from(two.inputs)).toEqual([0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(two.targets)).toEqual([1, 3, 2, 4]);
  });

  it("encodes every input as encodeStep does (values outside a one-hot range included), in makeBatches and the sampler", () => {
    fc.assert(
      fc.property(arbitraryConfig, fc.integer({ min: 1, max: 9 }), fc.nat(), ({ config, inputRange, outputRange }, count, seed) => {
        // Inputs one beyond the range on each side, to hit the all-zeros encoding.
        const examples = randomExamples(config, count, 3, seed, { min: inputRange.min - 1, max: inputRange.max + 1 }, outputRange);
        const [batch] = makeBatches(config, examples);
        const width = batch!.inputs.length / (3 * count);
        const sampled = createBatchSampler(config, examples)(new Random(seed), count);
        examples.forEach((ex, b) =>
          ex.x.forEach((step, t) => {
            const row = Array.from(batch!.inputs.subarray((t * count + b) * width, (t * count + b + 1) * width));
            expect(row).toEqual(encodeStep(config.encoding, step));
          }),
        );
        // The sampler drew every example (count of count), in increasing order.
        expect(Array.from(sampled.inputs)).toEqual(Array.from(batch!.inputs));
        expect(Array.from(sampled.targets)).toEqual(Array.from(batch!.targets));
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it("splits a length group into batches of at most maxBatchSize", () => {
    const examples = sequences(10, 1, 3, 2, sumLast2);
    expect(makeBatches(config, examples, 4).map((b) => b.size)).toEqual([4, 4, 2]);
    expect(groupByLength([...sequences(2, 1, 5, 2, sumLast2), ...sequences(3, 1, 2, 2, sumLast2)]).map((g) => [g.seqLen, g.examples.length])).toEqual([
      [2, 3],
      [5, 2],
    ]);
  });

  it("samples distinct examples of one length per batch, deterministically, reusing buffers", () => {
    const raw = makeConfig({ inputDim: 1, outputDim: 1 });
    // Example n has x = [[n], …] so a batch says which examples it holds.
    const examples = [
      ...Array.from({ length: 20 }, (_, n) => ({ x: [[n], [n], [n]], y: [[0], [0], [0]] })),
      ...Array.from({ length: 5 }, (_, n) => ({ x: [[100 + n]], y: [[0]] })),
    ];
    const draw = (seed: number) => {
      const sample = createBatchSampler(raw, examples);
      const rng = new Random(seed);
      return Array.from({ length: 30 }, () => {
        const b = sample(rng, 8);
        return { seqLen: b.seqLen, ids: Array.from(b.inputs.subarray(0, b.size)), same: b };
      });
    };
    const a = draw(1);
    expect(a.map((d) => d.ids)).toEqual(draw(1).map((d) => d.ids));
    expect(a.map((d) => d.ids)).not.toEqual(draw(2).map((d) => d.ids));
    for (const d of a) {
      expect(new Set(d.ids).size).toBe(d.ids.length);
      expect(d.ids.length).toBe(d.seqLen === 3 ? 8 : 5);
      expect(d.ids.every((id) => (d.seqLen === 3 ? id < 20 : id >= 100))).toBe(true);
    }
    expect(a.some((d) => d.seqLen === 1)).toBe(true);
    const long = a.filter((d) => d.seqLen === 3);
    expect(long[0]!.same).toBe(long[1]!.same);
  });

  it("refuses classification targets the head cannot represent", () => {
    const cls = makeConfig({ inputDim: 1, outputDim: 1, head: "classification", outputRange: { min: 0, max: 1 } });
    expect(() => createBatchSampler(cls, [{ x: [[0]], y: [[2]] }])).toThrow("train[0].y[0][0] = 2 is outside the head's range 0..1");
  });

  it("stores each length group in the narrowest exact type, and batches hold the same values", () => {
    const raw = makeConfig({ inputDim: 1, outputDim: 1 });
    const group = (xs: number[], ys: number[]) => flattenGroup(raw, 1, xs.map((x, i) => ({ x: [[x]], y: [[ys[i]!]] })));
    const cases: Array<[number[], string]> = [
      [[0, 1, -128, 127], "Int8Array"],
      [[0, 553, -30000], "Int16Array"],
      [[70000, -5], "Int32Array"],
      [[2 ** 40, 1], "Float64Array"],
      [[0.5, 1], "Float64Array"],
    ];
    for (const [values, type] of cases) {
      const g = group(values, values);
      expect([g.inputs.constructor.name, g.targets.constructor.name]).toEqual([type, type]);
      expect(Array.from(g.inputs)).toEqual(values);
      const batch = makeBatches(raw, values.map((v) => ({ x: [[v]], y: [[v]] })))[0]!;
      expect(Array.from(batch.inputs)).toEqual(values);
      expect(Array.from(batch.targets)).toEqual(values);
    }
  });
});
