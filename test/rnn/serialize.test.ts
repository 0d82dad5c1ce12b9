import { describe, expect, it } from "vitest";
import { rnnFromJson, rnnToJson } from "../../rnn/serialize.js";
import { trainRnn } from "../../rnn/train.js";
import type { Rnn } from "../../rnn/types.js";
import { makeConfig, randomRnn } from "./helpers.js";
import { sequences, sumLast2 } from "./data.js";

function load(text: string): Rnn {
  const result = rnnFromJson(text, "model.json");
  if (!result.ok) throw new Error(result.failure.message);
  return result.value;
}

describe("rnnToJson / rnnFromJson", () => {
  it("round-trips a trained network exactly", () => {
    const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 2, encoding: "raw", head: "log" });
    const data = sequences(200, 1, 5, 9, sumLast2);
    const rnn = trainRnn(config, { train: data, test: data }, { seed: 3, maxSteps: 20 });
    const text = rnnToJson(rnn);
    expect(load(text)).toEqual(rnn);
    expect(rnnToJson(load(text))).toBe(text);
  });

  it("round-trips every head and encoding, with weights bit-for-bit", () => {
    for (const head of ["log", "mse", "classification"] as const) {
      for (const encoding of ["raw", "one-hot"] as const) {
        const rnn = randomRnn(makeConfig({ head, encoding, transitionDepth: 2, readoutDepth: 3 }), 11);
        const back = load(rnnToJson(rnn));
        expect(back).toEqual(rnn);
        back.transition.forEach((layer, l) => layer.weight.forEach((w, i) => expect(Object.is(w, rnn.transition[l]!.weight[i])).toBe(true)));
      }
    }
  });

  it("writes each weight array on one line", () => {
    const text = rnnToJson(randomRnn(makeConfig({ hiddenSize: 2 }), 1));
    expect(text).toMatch(/"weight": \[-?\d[^\n]*\],?\n/);
  });

  it("keeps a diverged run's NaN loss (written as null)", () => {
    const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 1, head: "mse" });
    const huge = sequences(10, 1, 3, 9, (xs) => xs.map(() => 1e200));
    const rnn = trainRnn(config, { train: huge, test: huge }, { seed: 0, maxSteps: 5 });
    expect(rnn.training!.stopReason).toBe("diverged");
    expect(load(rnnToJson(rnn)).training!.finalLoss).toBeNaN();
  });

  it("names the file and the field at fault", () => {
    const good = JSON.parse(rnnToJson(randomRnn(makeConfig({ hiddenSize: 2 }), 1)));
    const failure = (value: unknown) => {
      const r = rnnFromJson(typeof value === "string" ? value : JSON.stringify(value), "m.json");
      return r.ok ? null : r.failure;
    };
    expect(failure("{")?.code).toBe("invalid_json");
    expect(failure({ ...good, kind: "machine" })).toMatchInlineSnapshot(`
      {
        "code": "invalid_rnn",
        "message": "m.json: kind: Invalid input: expected "rnn"",
      }
    `);
    expect(failure({ ...good, config: { ...good.config, hiddenSize: 0 } })?.message).toMatch(/^m\.json: config\.hiddenSize: /);
    const short = { ...good, readout: [{ ...good.readout[0], bias: [] }] };
    expect(failure(short)).toMatchInlineSnapshot(`
      {
        "code": "shape_mismatch",
        "message": "m.json: readout.0.bias: 0 entries, expected 2",
      }
    `);
    expect(failure({ ...good, transition: [] })?.message).toBe("m.json: transition: 0 layers, config says 1");
    expect(failure({ ...good, config: { ...good.config, hiddenSize: 3 } })?.code).toBe("shape_mismatch");
  });
});
