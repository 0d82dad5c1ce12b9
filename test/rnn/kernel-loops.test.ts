import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createArena } from "../../rnn/kernel-loops.js";
import { KERNEL_LOOPS_WASM } from "../../rnn/kernel-loops-wasm.js";
// @ts-expect-error: a plain ES module without types (the build script)
import { assembleKernelLoops } from "../../scripts/build-wasm.mjs";

/** Addresses are only handed to C; these tests use the byte offsets, so any number will do. */
const noAddress = (): number => 0;

/** The scalar JavaScript the loops replace: v · (v > 0), keeping −0 and NaN as JavaScript does. */
const mask = (value: number, activation: number): number => value * +(activation > 0);

/** Values that probe the sign and NaN cases as well as ordinary ones. */
const value = fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(0, -0, 1e-310, -1e-310, Number.NaN, Infinity, -Infinity));

const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("kernel loops (WebAssembly)", () => {
  it("the committed module is what rnn/kernel-loops.wat assembles to", async () => {
    const binary: Buffer = await assembleKernelLoops();
    expect(binary.toString("base64")).toBe(KERNEL_LOOPS_WASM);
  });

  it("places arrays on 16-byte boundaries without overlap", () => {
    const { arrays } = createArena([3, 0, 5, 1], noAddress);
    expect(arrays.map((a) => a.offset)).toEqual([0, 32, 48, 96]);
    expect(arrays.map((a) => a.data.length)).toEqual([3, 0, 5, 1]);
    arrays[0]!.data.fill(7);
    expect(arrays[2]!.data.every((v) => v === 0)).toBe(true);
  });

  it("relu matches the scalar loop bit for bit, odd lengths and offsets included", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 41 }), fc.nat({ max: 3 }), (values, skip) => {
        const { loops, arrays } = createArena([values.length + skip], noAddress);
        const data = arrays[0]!.data;
        data.set(values, skip);
        loops.relu(arrays[0]!.offset + skip * 8, values.length);
        const expected = Float64Array.from(values, (v) => mask(v, v));
        expect(sameBits(data.subarray(skip), expected)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("reluBackward matches the scalar loop on a strided block and leaves the rest alone", () => {
    const block = fc
      .record({ rows: fc.integer({ min: 0, max: 6 }), cols: fc.integer({ min: 1, max: 9 }), gradPad: fc.nat({ max: 3 }), actPad: fc.nat({ max: 3 }), gradStart: fc.nat({ max: 3 }), actStart: fc.nat({ max: 3 }) })
      .chain((shape) => {
        const gradLength = shape.gradStart + shape.rows * (shape.cols + shape.gradPad);
        const actLength = shape.actStart + shape.rows * (shape.cols + shape.actPad);
        return fc.tuple(fc.constant(shape), fc.array(value, { minLength: gradLength, maxLength: gradLength }), fc.array(value, { minLength: actLength, maxLength: actLength }));
      });
    fc.assert(
      fc.property(block, ([{ rows, cols, gradPad, actPad, gradStart, actStart }, grad, act]) => {
        const { loops, arrays } = createArena([grad.length, act.length], noAddress);
        const [g, a] = arrays as [(typeof arrays)[0], (typeof arrays)[0]];
        g.data.set(grad);
        a.data.set(act);
        const gradStride = cols + gradPad;
        const actStride = cols + actPad;
        loops.reluBackward(g.offset + gradStart * 8, gradStride * 8, a.offset + actStart * 8, actStride * 8, rows, cols);
        const expected = Float64Array.from(grad);
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const i = gradStart + r * gradStride + c;
            expected[i] = mask(grad[i]!, act[actStart + r * actStride + c]!);
          }
        }
        expect(sameBits(g.data, expected)).toBe(true);
        expect(sameBits(a.data, Float64Array.from(act))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
