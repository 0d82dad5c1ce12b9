import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Rational,
  add,
  compare,
  div,
  extendedGcd,
  floor,
  floorDiv,
  fromFloat,
  fromFloatExact,
  gcd,
  mul,
  rational,
  round,
  sub,
  toNumber,
  toString,
} from "../../common/rational.js";

const expectRational = (value: Rational, text: string): void => expect(toString(value)).toBe(text);

const bigints = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const rationals = fc.tuple(bigints, fc.bigInt({ min: 1n, max: 10n ** 20n })).map(([n, d]) => rational(n, d));

describe("rational: normal form", () => {
  it("normalises sign and gcd", () => {
    expectRational(rational(6n, -4n), "-3/2");
    expectRational(rational(0n, -7n), "0");
    expectRational(rational(-8, -2), "4");
    expect(() => rational(1n, 0n)).toThrow(RangeError);
  });

  it("keeps den > 0 and gcd(num, den) = 1 through every operation", () => {
    const normal = (r: Rational): boolean => r.den > 0n && gcd(r.num, r.den) === 1n;
    fc.assert(
      fc.property(rationals, rationals, (a, b) => {
        const results = [add(a, b), sub(a, b), mul(a, b), ...(b.num !== 0n ? [div(a, b)] : [])];
        return results.every(normal);
      }),
    );
  });
});

describe("rational: arithmetic", () => {
  it("does small sums by hand", () => {
    expectRational(add(rational(1n, 3n), rational(1n, 6n)), "1/2");
    expectRational(sub(rational(1n, 3n), rational(1n, 2n)), "-1/6");
    expectRational(mul(rational(2n, 3n), rational(9n, 4n)), "3/2");
    expectRational(div(rational(2n, 3n), rational(-4n, 9n)), "-3/2");
  });

  it("satisfies field laws", () => {
    fc.assert(
      fc.property(rationals, rationals, rationals, (a, b, c) => {
        expect(add(a, b)).toEqual(add(b, a));
        expect(mul(a, add(b, c))).toEqual(add(mul(a, b), mul(a, c)));
        expect(sub(add(a, b), b)).toEqual(a);
        if (b.num !== 0n) expect(mul(div(a, b), b)).toEqual(a);
      }),
    );
  });

  it("compares like the difference's sign", () => {
    fc.assert(fc.property(rationals, rationals, (a, b) => compare(a, b) === Math.sign(Number(sub(a, b).num))));
  });
});

describe("rational: floor and round", () => {
  it.each([
    [7n, 2n, 3n, 4n],
    [-7n, 2n, -4n, -3n],
    [5n, 3n, 1n, 2n],
    [-5n, 3n, -2n, -2n],
    [-1n, 2n, -1n, 0n],
  ])("%d/%d floors to %d and rounds (ties up) to %d", (n, d, f, r) => {
    expect(floor(rational(n, d))).toBe(f);
    expect(round(rational(n, d))).toBe(r);
  });

  it("floorDiv matches Python's // on negative numbers", () => {
    expect(floorDiv(-7n, 2n)).toBe(-4n);
    expect(floorDiv(7n, -2n)).toBe(-4n);
    expect(floorDiv(-7n, -2n)).toBe(3n);
    fc.assert(
      fc.property(bigints, fc.bigInt({ min: -1000n, max: 1000n }).filter((b) => b !== 0n), (a, b) => {
        const q = floorDiv(a, b);
        const r = a - q * b;
        return b > 0n ? r >= 0n && r < b : r <= 0n && r > b;
      }),
    );
  });

  it("round(a) − a lies in (−1/2, 1/2]", () => {
    const half = rational(1n, 2n);
    fc.assert(fc.property(rationals, (a) => compare(sub(a, rational(round(a))), half) < 0 && compare(sub(rational(round(a)), a), half) <= 0));
  });

  it("extendedGcd gives Bezout coefficients", () => {
    fc.assert(
      fc.property(bigints, bigints, (a, b) => {
        const { g, s, t } = extendedGcd(a, b);
        return g === gcd(a, b) && s * a + t * b === g;
      }),
    );
  });
});

describe("rational: floats", () => {
  it("reads doubles exactly", () => {
    expectRational(fromFloatExact(0.5), "1/2");
    expectRational(fromFloatExact(-3), "-3");
    expectRational(fromFloatExact(0.1), "3602879701896397/36028797018963968");
    expectRational(fromFloatExact(2 ** 70), `${2n ** 70n}`);
    expectRational(fromFloatExact(5e-324), `1/${2n ** 1074n}`);
    expect(() => fromFloatExact(NaN)).toThrow(RangeError);
  });

  it("round-trips every finite double", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(toNumber(fromFloatExact(x)), x === 0 ? 0 : x)));
  });

  it("snaps to the best approximation with a bounded denominator", () => {
    expectRational(fromFloat(0.3333333, 12), "1/3");
    expectRational(fromFloat(-2.6667, 12), "-8/3");
    expectRational(fromFloat(Math.PI, 10), "22/7");
    expectRational(fromFloat(Math.PI, 1000), "355/113");
    expectRational(fromFloat(0.37, 12), "3/8");
    expectRational(fromFloat(7, 1), "7");
  });

  it("no fraction with a denominator within the bound is closer", () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: 1, max: 30 }), (x, maxDen) => {
        const best = fromFloat(x, maxDen);
        const exact = fromFloatExact(x);
        const distance = (r: Rational): number => Math.abs(toNumber(sub(r, exact)));
        expect(best.den <= BigInt(maxDen)).toBe(true);
        for (let q = 1; q <= maxDen; q++) {
          const candidate = rational(BigInt(Math.round(x * q)), BigInt(q));
          expect(distance(best)).toBeLessThanOrEqual(distance(candidate) + 1e-15);
        }
      }),
    );
  });

  it("converts huge numerators and denominators to doubles", () => {
    expect(toNumber(rational(3n * 10n ** 400n, 2n * 10n ** 400n))).toBeCloseTo(1.5, 12);
    expect(toNumber(rational(10n ** 400n, 1n))).toBe(Infinity);
  });
});
