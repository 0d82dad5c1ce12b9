import { describe, expect, it } from "vitest";
import { AdamW, clipGradientNorm, gradientNorm } from "../../rnn/adamw.js";

describe("AdamW", () => {
  it("takes a first step of size lr per coordinate (bias-corrected), after decoupled decay", () => {
    const params = Float64Array.from([1, -2, 0.5]);
    const adam = new AdamW(3, { weightDecay: 0.1 });
    adam.step(params, Float64Array.from([0.3, -4, 0]), 0.01);
    // p·(1 − lr·λ) − lr·sign(g) (for g ≠ 0; m̂/√v̂ = g/|g|, up to ε).
    expect(params[0]).toBeCloseTo(1 * (1 - 0.001) - 0.01, 9);
    expect(params[1]).toBeCloseTo(-2 * (1 - 0.001) + 0.01, 9);
    expect(params[2]).toBeCloseTo(0.5 * (1 - 0.001), 12);
  });

  it("matches torch.optim.AdamW's update over several steps", () => {
    // Written out with the textbook formulas, independently of the implementation.
    const lr = 0.05;
    const [b1, b2, eps, wd] = [0.9, 0.999, 1e-8, 0.01];
    const grads = [0.5, -1, 2, 0.1];
    let p = 1;
    let m = 0;
    let v = 0;
    const params = Float64Array.from([1]);
    const adam = new AdamW(1, { weightDecay: wd });
    grads.forEach((g, i) => {
      p -= lr * wd * p;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      p -= (lr * (m / (1 - b1 ** (i + 1)))) / (Math.sqrt(v / (1 - b2 ** (i + 1))) + eps);
      adam.step(params, Float64Array.from([g]), lr);
      expect(params[0]).toBeCloseTo(p, 12);
    });
  });

  it("clips the gradient to a global norm", () => {
    const g = Float64Array.from([3, 4]);
    expect(clipGradientNorm(g, 10)).toBe(5);
    expect(Array.from(g)).toEqual([3, 4]);
    expect(clipGradientNorm(g, 1)).toBe(5);
    expect(gradientNorm(g)).toBeCloseTo(1, 6);
  });
});
