import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtinTask } from "../../benchmarks/builtin.js";
import { Random } from "../../common/random.js";
import { measureAccuracy } from "../../rnn/accuracy.js";
import { paramsOf } from "../../rnn/init.js";
import { inverse, type Matrix } from "../../rnn/linalg.js";
import { normalize, type NormalizerName, type NormalizerStep } from "../../rnn/normalize.js";
import { changeBasis, debiasCandidates, jordan, layerMatrix, toeplitz, whiten } from "../../rnn/normalize-basis.js";
import { pruneDeadUnits, pruneDuplicateUnits, pruneUnreadUnits, stateStatistics } from "../../rnn/normalize-prune.js";
import { snapIntegers } from "../../rnn/normalize-snap.js";
import { runSequence } from "../../rnn/reference.js";
import { rnnFromJson, rnnToJson } from "../../rnn/serialize.js";
import type { DenseLayer, Rnn } from "../../rnn/types.js";
import type { Example } from "../../task/types.js";
import { sequences, sumLast2 } from "./data.js";
import { arbitraryConfig, makeConfig, randomExamples, randomRnn } from "./helpers.js";

// ---------------------------------------------------------------------------------------------
// Helpers: hand-made networks, and "same function" checks.

const layer = (weight: number[][], bias: number[]): DenseLayer => ({ inSize: weight[0]!.length, outSize: weight.length, weight: weight.flat(), bias });

/** h' = W h + U x + c, then an MLP readout given as its layers. Raw input, log regression. */
function linearRnn(w: number[][], u: number[][], c: number[], readout: DenseLayer[]): Rnn {
  const hiddenSize = w.length;
  return {
    kind: "rnn",
    version: 1,
    config: {
      inputDim: u[0]!.length,
      outputDim: readout[readout.length - 1]!.outSize,
      hiddenSize,
      transition: { depth: 1, width: 0 },
      readout: { depth: readout.length, width: readout.length > 1 ? readout[0]!.outSize : 0 },
      encoding: { kind: "raw" },
      head: { kind: "regression", loss: "log" },
    },
    transition: [layer(w.map((row, i) => [...row, ...u[i]!]), c)],
    readout,
    training: null,
  };
}

/**
 * Outputs agree to rounding error and predictions agree exactly, on every step of every example.
 * Rounding error: a change of basis with condition number κ loses about κ·ε, and random hidden-6
 * Jordan bases reach κ ≈ 1e8 (an observed 3e-8 difference), hence 1e-6 relative.
 */
function expectSameFunction(a: Rnn, b: Rnn, examples: readonly Example[]): void {
  for (const ex of examples) {
    const ra = runSequence(a, ex.x);
    const rb = runSequence(b, ex.x);
    expect(rb.predictions).toEqual(ra.predictions);
    ra.outputs.forEach((out, t) =>
      out.forEach((v, j) => {
        expect(Math.abs(rb.outputs[t]![j]! - v)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
      }),
    );
  }
}

/** Serialises and reloads (the result must be a valid Rnn). */
function roundTrip(rnn: Rnn): Rnn {
  const back = rnnFromJson(rnnToJson(rnn), "normalized");
  expect(back.ok).toBe(true);
  return back.ok ? back.value : rnn;
}

const unwrap = <T>(r: { ok: true; value: T } | { ok: false; failure: string }): T => {
  if (!r.ok) throw new Error(r.failure);
  return r.value;
};

const kept = (steps: readonly NormalizerStep[], name: NormalizerName): NormalizerStep[] => steps.filter((s) => s.name === name && s.kept);

const sumData = sequences(500, 11, 8, 9, sumLast2);
const identityTask = sequences(500, 12, 8, 9, (xs) => xs);

/** Sum_Last2 as a shift register [x_t, x_{t−1}], plus a dead unit (always 0, read with weight 5) and h3 = 2·h0. */
const sumLast2Padded = linearRnn(
  [
    [0, 0, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ],
  [[1], [0], [0], [2]],
  [0, 0, 0, 0],
  [layer([[0.5, 1, 5, 0.25]], [0])],
);

// ---------------------------------------------------------------------------------------------

describe("change of basis", () => {
  it("preserves the function of random networks of every shape (h = M h̃)", () => {
    fc.assert(
      fc.property(arbitraryConfig, fc.integer({ min: 0, max: 1000 }), ({ config, inputRange, outputRange }, seed) => {
        const rnn = randomRnn(config, seed);
        const rng = new Random(seed + 1);
        const n = config.hiddenSize;
        const m: Matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : 0) + rng.next() - 0.5));
        const changed = changeBasis(rnn, m);
        expect(changed).not.toBeNull();
        expectSameFunction(rnn, roundTrip(changed!), randomExamples(config, 8, 6, seed, inputRange, outputRange));
        // And back again gives the original weights.
        const back = changeBasis(changed!, inverse(m)!)!;
        paramsOf(back).forEach((v, i) => expect(v).toBeCloseTo(paramsOf(rnn)[i]!, 9));
      }),
      { numRuns: 60 },
    );
  });
});

describe("whiten, jordan, toeplitz", () => {
  const linearConfig = (hiddenSize: number, readoutDepth: number) =>
    makeConfig({ inputDim: 1, outputDim: 1, hiddenSize, transitionDepth: 1, readoutDepth, width: 4, encoding: "raw", head: "log" });

  it("preserve the function of random linear networks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1000 }), (hidden, readoutDepth, seed) => {
        const config = linearConfig(hidden, readoutDepth);
        const rnn = randomRnn(config, seed, 1);
        const data = randomExamples(config, 30, 6, seed, { min: 0, max: 3 });
        for (const result of [whiten(rnn, stateStatistics(rnn, data)), jordan(rnn), toeplitz(rnn)]) {
          if (result.ok) expectSameFunction(rnn, roundTrip(result.value), data);
        }
      }),
      // A fixed seed: the same 60 networks on every run (this one includes the ill-conditioned case).
      { numRuns: 60, seed: -481405635 },
    );
  });

  it("whitening gives identity covariance; an MLP transition is whitened too", () => {
    const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 3, transitionDepth: 2, readoutDepth: 2, width: 4, encoding: "one-hot", head: "classification", inputRange: { min: 0, max: 2 }, outputRange: { min: 0, max: 2 } });
    const rnn = randomRnn(config, 3);
    const data = randomExamples(config, 200, 6, 3, { min: 0, max: 2 }, { min: 0, max: 2 });
    const white = unwrap(whiten(rnn, stateStatistics(rnn, data)));
    expectSameFunction(rnn, white, data);
    stateStatistics(white, data).covariance.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 6)));
  });

  it("toeplitz turns a trained Sum_Last3 network into a shift register with the input in the first coordinate", () => {
    const rnn = committedModel("Sum_Last3");
    const shifted = unwrap(toeplitz(rnn));
    const m = layerMatrix(shifted.transition[0]!);
    // [W̃ | Ũ]: ones below the diagonal of W̃, Ũ = e₁, and a last column of W̃ that is ≈ 0.
    m.forEach((row, i) => {
      row.forEach((v, j) => {
        const expected = j === 3 ? (i === 0 ? 1 : 0) : i === j + 1 ? 1 : 0;
        expect(Math.abs(v - expected)).toBeLessThan(0.01);
      });
    });
    expectSameFunction(rnn, shifted, committedTask("Sum_Last3", 50));
  });

  it("jordan finds the rotation and the identity block of a trained Newton_Magnetic network", () => {
    const rnn = committedModel("Newton_Magnetic");
    const j = unwrap(jordan(rnn));
    expectSameFunction(rnn, j, committedTask("Newton_Magnetic", 50));
    const rounded = layerMatrix(j.transition[0]!).map((row) => row.map((v) => Math.round(v * 100) / 100 + 0));
    // [W̃ | Ũ]: a rotation-scaling block and an identity block; each input enters as a unit vector.
    expect(rounded).toEqual([
      [1, 1, 0, 0, 1, 0],
      [-1, 1, 0, 0, 0, -1],
      [0, 0, 1, 0, 0, 1],
      [0, 0, 0, 1, 1, 0],
    ]);
  });

  it("debias is exact when the bias response is constant (W c = 0)", () => {
    // h = [x_t, x_{t−1}] + c with c = (0, 0.5): W c = 0, so q_t = c at every step.
    const rnn = linearRnn(
      [
        [0, 0],
        [1, 0],
      ],
      [[1], [0]],
      [0, 0.5],
      [layer([[1, 1]], [-0.5])],
    );
    const [first] = unwrap(debiasCandidates(rnn, [500, 500, 500, 500, 500, 500, 500, 500]));
    expect(first!.variant).toBe("fixed point");
    expect(first!.rnn.transition[0]!.bias).toEqual([0, 0]);
    expect(first!.rnn.readout[0]!.bias).toEqual([0]);
    expectSameFunction(rnn, first!.rnn, sumData);
  });
});

describe("pruning", () => {
  it("removes a dead unit and merges a duplicate one, keeping the function exactly", () => {
    const stats = stateStatistics(sumLast2Padded, sumData);
    const dead = unwrap(pruneDeadUnits(sumLast2Padded, stats));
    expect(dead.what).toBe("1 hidden component always 0");
    expect(dead.rnn.config.hiddenSize).toBe(3);
    expectSameFunction(sumLast2Padded, roundTrip(dead.rnn), sumData);
    const merged = unwrap(pruneDuplicateUnits(dead.rnn, stateStatistics(dead.rnn, sumData)));
    expect(merged.what).toBe("h2 = 2.000·h0");
    expect(merged.rnn.config.hiddenSize).toBe(2);
    expect(merged.rnn.readout[0]!.weight).toEqual([1, 1]);
    expectSameFunction(sumLast2Padded, roundTrip(merged.rnn), sumData);
  });

  it("removes readout MLP units that are never active and merges proportional ones", () => {
    const rnn = linearRnn(
      [[1]],
      [[1]],
      [0],
      [
        // unit 1 is never active (its input x ≥ 0 is pushed below 0); unit 2 = 3 · unit 0.
        layer([[1], [1], [3]], [0, -1000, 0]),
        layer([[1, 7, 1]], [0]),
      ],
    );
    const dead = unwrap(pruneDeadUnits(rnn, stateStatistics(rnn, sumData)));
    expect(dead.what).toBe("1 readout MLP unit never active");
    expect(dead.rnn.config.readout.width).toBe(2);
    const merged = unwrap(pruneDuplicateUnits(dead.rnn, stateStatistics(dead.rnn, sumData)));
    expect(merged.what).toBe("1 readout MLP unit merged");
    expect(merged.rnn.readout[1]!.weight).toEqual([4]);
    expectSameFunction(rnn, roundTrip(merged.rnn), sumData);
  });

  it("removes hidden components that never reach the output", () => {
    // h1 follows h0 but nothing reads h1.
    const rnn = linearRnn(
      [
        [1, 0],
        [1, 0],
      ],
      [[1], [1]],
      [0, 0],
      [layer([[1, 0]], [0])],
    );
    const pruned = unwrap(pruneUnreadUnits(rnn));
    expect(pruned.rnn.config.hiddenSize).toBe(1);
    expectSameFunction(rnn, roundTrip(pruned.rnn), sumData);
    expect(pruneUnreadUnits(pruned.rnn).ok).toBe(false);
  });

  it("drops a shift-register tap that the readout barely reads (prune-weak-reads)", () => {
    // Sum_Last2 with a third tap x_{t−2} read with weight 0.001: at most 0.009 on inputs ≤ 9.
    const rnn = linearRnn(
      [
        [0, 0, 0],
        [1, 0, 0],
        [0, 1, 0],
      ],
      [[1], [0], [0]],
      [0, 0, 0],
      [layer([[1, 1, 0.001]], [0])],
    );
    // Alone: otherwise snapping rounds 0.001 to 0 first and prune-unread-units removes the tap.
    const result = normalize(rnn, sumData, { seed: 0, only: ["prune-weak-reads"] });
    expect(result.steps).toHaveLength(1);
    expect(kept(result.steps, "prune-weak-reads")).toHaveLength(1);
    expect(result.rnn.config.hiddenSize).toBe(2);
    expect(result.rnn.readout[0]!.weight).toEqual([1, 1]);
  });

  it("normalize shrinks the padded Sum_Last2 network to the two-unit shift register", () => {
    const result = normalize(sumLast2Padded, sumData, { seed: 0 });
    expect(result.rnn.config.hiddenSize).toBe(2);
    expect(kept(result.steps, "prune-dead-units")).toHaveLength(1);
    expect(kept(result.steps, "prune-duplicate-units")).toHaveLength(1);
    expectSameFunction(sumLast2Padded, roundTrip(result.rnn), sequences(200, 13, 12, 50, sumLast2));
  });
});

describe("the gate", () => {
  // y = x through h = 0.625 x and a readout weight of 1.6: rounding each weight alone breaks it.
  const scaled = linearRnn([[0]], [[0.625]], [0], [layer([[1.6]], [0])]);

  it("rejects an over-aggressive snap and keeps the network", () => {
    const result = normalize(scaled, identityTask, { seed: 0, only: ["snap-integers"], snapThreshold: 0.4 });
    const snaps = result.steps.filter((s) => s.name === "snap-integers");
    expect(snaps.length).toBeGreaterThanOrEqual(3);
    expect(snaps.every((s) => !s.kept)).toBe(true);
    expect(snaps[0]).toMatchObject({ kept: false, integersAfter: 2, accuracy: expect.any(Number) });
    expect(snaps[0]!.accuracy).toBeLessThan(1);
    expect(snaps[0]!.reason).toContain("rejected: held-out accuracy");
    expect(result.rnn).toBe(scaled);
  });

  it("lets toeplitz find the integer form the snap could not", () => {
    const result = normalize(scaled, identityTask, { seed: 0 });
    expect(paramsOf(result.rnn).every(Number.isInteger)).toBe(true);
    expect(measureAccuracy(result.rnn, identityTask).accuracy).toBe(1);
  });

  it("snapIntegers measures distance against the layer's scale", () => {
    const rnn = linearRnn([[0]], [[0.985]], [0.03], [layer([[39.3]], [0.4])]);
    const snapped = snapIntegers(rnn, 0.02);
    // Transition scale 1: 0.985 → 1 (within 0.02), 0.03 stays. Readout scale 39.3: tolerance 0.786.
    expect(snapped.rnn.transition[0]!.weight).toEqual([0, 1]);
    expect(snapped.rnn.transition[0]!.bias).toEqual([0.03]);
    expect(snapped.rnn.readout[0]!.weight).toEqual([39]);
    expect(snapped.rnn.readout[0]!.bias).toEqual([0]);
    expect(snapped.moved).toBe(3);
    expect(Array.from(snapped.integer)).toEqual([1, 1, 0, 1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------
// The committed example models: 2,000 held-out sequences here (10,000 in real runs).

function committedModel(name: string): Rnn {
  const text = readFileSync(new URL(`../../benchmarks/results/models/${name}.json`, import.meta.url), "utf8");
  const loaded = rnnFromJson(text, name);
  if (!loaded.ok) throw new Error(loaded.failure.message);
  return loaded.value;
}

function committedTask(name: string, n: number, seed = 1): Example[] {
  return builtinTask(name, { seed, testSize: n, trainSize: 1 })!.dataset.test.slice();
}

describe("normalize on committed models", () => {
  const run = (name: string) => {
    const task = builtinTask(name, { seed: 1, testSize: 2000, trainSize: 2000 })!;
    const rnn = committedModel(name);
    const result = normalize(rnn, task.dataset.test, { seed: 0, train: task.dataset.train });
    const fresh = task.sample!(2000, 777);
    return { rnn, result, heldOut: task.dataset.test, fresh };
  };

  it("Sum_Last3 becomes an integer shift register: W = shift, U = e₁, readout = [1, 1, 1]", () => {
    const { result, heldOut, fresh } = run("Sum_Last3");
    const net = roundTrip(result.rnn);
    expect(measureAccuracy(net, heldOut).accuracy).toBe(1);
    expect(measureAccuracy(net, fresh).accuracy).toBe(1);
    expect(net.transition[0]).toMatchObject({
      weight: [0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0],
      bias: [0, 0, 0],
    });
    expect(net.readout[0]).toMatchObject({ weight: [1, 1, 1], bias: [0] });
  });

  it("Prev2 becomes an integer shift register read at its last tap", () => {
    const { result, heldOut, fresh } = run("Prev2");
    const net = roundTrip(result.rnn);
    expect(measureAccuracy(net, heldOut).accuracy).toBe(1);
    expect(measureAccuracy(net, fresh).accuracy).toBe(1);
    expect(net.transition[0]).toMatchObject({ weight: [0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0], bias: [0, 0, 0] });
    expect(net.readout[0]).toMatchObject({ weight: [0, 0, 1], bias: [0] });
  });

  it("Sum_All becomes an integer accumulator", () => {
    const { result, heldOut, fresh } = run("Sum_All");
    const net = roundTrip(result.rnn);
    expect(measureAccuracy(net, heldOut).accuracy).toBe(1);
    expect(measureAccuracy(net, fresh).accuracy).toBe(1);
    expect(paramsOf(net).every(Number.isInteger)).toBe(true);
    expect(net.transition[0]!.weight).toEqual([1, 1]);
  });

  it("Parity_All keeps 100% held-out accuracy and loses its dead MLP units", () => {
    const { rnn, result, heldOut } = run("Parity_All");
    const net = roundTrip(result.rnn);
    expect(measureAccuracy(net, heldOut).accuracy).toBe(1);
    expect(net.config.transition.width).toBeLessThan(rnn.config.transition.width);
    expect(result.steps.every((s) => !s.kept || s.accuracy === 1)).toBe(true);
  });

  it("is deterministic", () => {
    const a = run("Sum_Last3").result;
    const b = run("Sum_Last3").result;
    expect(rnnToJson(a.rnn)).toBe(rnnToJson(b.rnn));
    expect(a.steps).toEqual(b.steps);
  });
});
