/** Property tests: family references against independent closed-form definitions. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findBenchmarkTask } from "../../benchmarks/index.js";

const reference = (name: string) => findBenchmarkTask(name)!.reference;
const column = (values: readonly number[]): number[][] => values.map((v) => [v]);
const outputs = (name: string, x: number[][]): number[] => reference(name)(x).map((step) => step[0]!);

/** Sequences of 1 to 50 values (5x the usual length) drawn from min..max. */
const values = (min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: 1, maxLength: 50 });

describe("reference properties", () => {
  it("Sum_LastK is a sliding-window sum", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), values(0, 99), (k, x) => {
        const expected = x.map((_, t) => x.slice(Math.max(0, t - k + 1), t + 1).reduce((a, b) => a + b, 0));
        expect(outputs(`Sum_Last${k}`, column(x))).toEqual(expected);
      }),
    );
  });

  it("PrevK shifts right by k, filling with zeros", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), values(0, 99), (k, x) => {
        const expected = [...new Array<number>(k).fill(0), ...x].slice(0, x.length);
        expect(outputs(`Prev${k}`, column(x))).toEqual(expected);
      }),
    );
  });

  it("Add_Mod_k is the prefix sum mod k", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 8 }), values(0, 7), (k, raw) => {
        const x = raw.map((v) => v % k);
        const expected = x.map((_, t) => x.slice(0, t + 1).reduce((a, b) => a + b, 0) % k);
        expect(outputs(`Add_Mod_${k}`, column(x))).toEqual(expected);
      }),
    );
  });

  it("Base_k_Addition gives the digits of (A + B) mod k^length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), values(0, 6), values(0, 6), (k, rawA, rawB) => {
        const length = Math.min(rawA.length, rawB.length);
        const a = rawA.slice(0, length).map((v) => v % k);
        const b = rawB.slice(0, length).map((v) => v % k);
        const base = BigInt(k);
        const toInt = (digits: number[]): bigint => digits.reduceRight((acc, d) => acc * base + BigInt(d), 0n);
        let total = (toInt(a) + toInt(b)) % base ** BigInt(length);
        const expected: number[] = [];
        for (let t = 0; t < length; t++) {
          expected.push(Number(total % base));
          total /= base;
        }
        const name = k === 2 ? "Binary_Addition" : `Base_${k}_Addition`;
        expect(outputs(name, a.map((v, t) => [v, b[t]!]))).toEqual(expected);
      }),
    );
  });

  it("Div_k outputs floor(V / k) MSB first, delayed by one step", () => {
    fc.assert(
      fc.property(fc.constantFrom(3, 5, 7), values(0, 1), (k, x) => {
        const value = x.reduce((acc, bit) => acc * 2n + BigInt(bit), 0n);
        const quotient = (value / BigInt(k)).toString(2).padStart(x.length, "0");
        const expected = [0, ...[...quotient].map(Number)].slice(0, x.length);
        expect(outputs(`Div_${k}`, column(x))).toEqual(expected);
      }),
    );
  });

  it("Majority_0_k picks a most frequent value, the smallest on ties", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), values(0, 3), (k, raw) => {
        const x = raw.map((v) => v % (k + 1));
        const expected = x.map((_, t) => {
          const prefix = x.slice(0, t + 1);
          const count = (v: number) => prefix.filter((u) => u === v).length;
          const candidates = Array.from({ length: k + 1 }, (_, v) => v);
          return candidates.reduce((best, v) => (count(v) > count(best) ? v : best), 0);
        });
        expect(outputs(`Majority_0_${k}`, column(x))).toEqual(expected);
      }),
    );
  });

  it("Newton_Spring satisfies p_t = p_{t-1} - p_{t-2} + x_t", () => {
    fc.assert(
      fc.property(values(-10, 10), (x) => {
        const p = outputs("Newton_Spring", column(x));
        const at = (t: number) => (t >= 0 ? p[t]! : 0);
        x.forEach((v, t) => expect(p[t]).toBe(at(t - 1) - at(t - 2) + v));
      }),
    );
  });
});
