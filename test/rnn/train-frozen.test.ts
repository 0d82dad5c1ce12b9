import { describe, expect, it } from "vitest";
import { paramsOf } from "../../rnn/init.js";
import { paramLayout } from "../../rnn/params.js";
import { trainRnn } from "../../rnn/train.js";
import { sequences, sumLast2 } from "./data.js";
import { makeConfig, randomRnn } from "./helpers.js";

describe("trainRnn frozen", () => {
  const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 2, transitionDepth: 1, readoutDepth: 2, width: 3, encoding: "raw", head: "log" });
  const data = { train: sequences(300, 1, 6, 9, sumLast2), test: sequences(100, 2, 6, 9, sumLast2) };
  const start = paramsOf(randomRnn(config, 4));

  it("holds frozen parameters fixed, even under weight decay, and trains the rest", () => {
    const frozen = new Uint8Array(start.length);
    for (let i = 0; i < start.length; i += 2) frozen[i] = 1;
    const rnn = trainRnn(config, data, { seed: 0, maxSteps: 40, evalEvery: 1000, initialParams: start, frozen, weightDecay: 0.1 });
    const after = paramsOf(rnn);
    after.forEach((v, i) => {
      if (frozen[i] === 1) expect(v).toBe(start[i]);
      else expect(v).not.toBe(start[i]);
    });
  });

  it("is the same as no freezing when nothing is frozen", () => {
    const opts = { seed: 0, maxSteps: 20, evalEvery: 1000, initialParams: start };
    const free = trainRnn(config, data, opts);
    const none = trainRnn(config, data, { ...opts, frozen: new Uint8Array(start.length) });
    expect(Array.from(paramsOf(none))).toEqual(Array.from(paramsOf(free)));
  });

  it("rejects a mask of the wrong length", () => {
    expect(() => trainRnn(config, data, { seed: 0, maxSteps: 1, frozen: new Uint8Array(paramLayout(config).size + 1) })).toThrow(/frozen has/);
  });
});
