/**
 * Exact rationals over BigInt, for the lattice fitter's exact reductions (fsm-extract/lll.ts).
 *
 * Invariant of every `Rational` made here: `den > 0` and gcd(|num|, den) = 1, so equal values have
 * equal fields and zero is 0/1. Build values with `rational()` (which normalises), never by hand.
 */

export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

// ---------------------------------------------------------------- integer helpers

export function absInt(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** gcd(|a|, |b|) ≥ 0; gcd(0, 0) = 0. */
export function gcd(a: bigint, b: bigint): bigint {
  a = absInt(a);
  b = absInt(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** g = gcd(a, b) ≥ 0 with s·a + t·b = g (the Bezout coefficients of the Euclidean algorithm). */
export function extendedGcd(a: bigint, b: bigint): { g: bigint; s: bigint; t: bigint } {
  let [r0, r1, s0, s1, t0, t1] = [a, b, 1n, 0n, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return r0 < 0n ? { g: -r0, s: -s0, t: -t0 } : { g: r0, s: s0, t: t0 };
}

/** ⌊a / b⌋ (BigInt `/` truncates toward zero; this floors, as Python's `//`). */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("floorDiv: division by zero");
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** The integer nearest a / b, ties rounded up (toward +∞), as ⌊a/b + 1/2⌋. */
export function roundDiv(a: bigint, b: bigint): bigint {
  if (b < 0n) [a, b] = [-a, -b];
  return floorDiv(2n * a + b, 2n * b);
}

/** a / b when b divides a exactly; a bug otherwise (the integral LLL's divisions are exact). */
export function exactDiv(a: bigint, b: bigint): bigint {
  if (b === 0n || a % b !== 0n) throw new Error(`exactDiv: ${b} does not divide ${a}`);
  return a / b;
}

// ---------------------------------------------------------------- construction

export function rational(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = typeof num === "bigint" ? num : integerToBigInt(num);
  let d = typeof den === "bigint" ? den : integerToBigInt(den);
  if (d === 0n) throw new RangeError("rational: zero denominator");
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g === 1n ? { num: n, den: d } : { num: n / g, den: d / g };
}

export const ZERO: Rational = { num: 0n, den: 1n };
export const ONE: Rational = { num: 1n, den: 1n };

function integerToBigInt(x: number): bigint {
  if (!Number.isInteger(x)) throw new RangeError(`rational: ${x} is not an integer (use fromFloat)`);
  return BigInt(x);
}

/** The exact value of a finite double (every double is a dyadic rational). */
export function fromFloatExact(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`fromFloatExact: ${x} is not finite`);
  if (x === 0) return ZERO;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  // value = mantissa · 2^(exponent − 1075), with the implicit leading 1 for normal numbers.
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  const signed = negative ? -mantissa : mantissa;
  return exponent >= 0 ? rational(signed << BigInt(exponent)) : rational(signed, 1n << BigInt(-exponent));
}

/**
 * The rational closest to x among those with denominator ≤ maxDenominator (continued fractions,
 * checking the last semiconvergent too, as Python's Fraction.limit_denominator does).
 */
export function fromFloat(x: number, maxDenominator: number): Rational {
  if (!(maxDenominator >= 1)) throw new RangeError(`fromFloat: maxDenominator ${maxDenominator} < 1`);
  return limitDenominator(fromFloatExact(x), BigInt(Math.floor(maxDenominator)));
}

export function limitDenominator(value: Rational, maxDenominator: bigint): Rational {
  if (value.den <= maxDenominator) return value;
  let [p0, q0, p1, q1] = [0n, 1n, 1n, 0n];
  let [n, d] = [value.num, value.den];
  for (;;) {
    const a = floorDiv(n, d);
    const q2 = q0 + a * q1;
    if (q2 > maxDenominator) break;
    [p0, q0, p1, q1] = [p1, q1, p0 + a * p1, q2];
    [n, d] = [d, n - a * d];
  }
  // p1/q1 is the last convergent within the bound; the best semiconvergent may be closer.
  const k = (maxDenominator - q0) / q1;
  const semiconvergent = rational(p0 + k * p1, q0 + k * q1);
  const convergent = rational(p1, q1);
  return compare(abs(sub(convergent, value)), abs(sub(semiconvergent, value))) <= 0 ? convergent : semiconvergent;
}

// ---------------------------------------------------------------- arithmetic

export function add(a: Rational, b: Rational): Rational {
  return a.den === b.den ? rational(a.num + b.num, a.den) : rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function neg(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, neg(b));
}

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RangeError("div: division by zero");
  return rational(a.num * b.den, a.den * b.num);
}

export function abs(a: Rational): Rational {
  return a.num < 0n ? neg(a) : a;
}

/** −1, 0 or 1 as a < b, a = b, a > b. */
export function compare(a: Rational, b: Rational): number {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

export function isInteger(a: Rational): boolean {
  return a.den === 1n;
}

export function floor(a: Rational): bigint {
  return floorDiv(a.num, a.den);
}

/** The nearest integer, ties rounded up (toward +∞): ⌊a + 1/2⌋. */
export function round(a: Rational): bigint {
  return roundDiv(a.num, a.den);
}

/** The double nearest a (to within an ulp), also when num or den overflow a double. */
export function toNumber(a: Rational): number {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  if (absInt(a.num) <= safe && a.den <= safe) return Number(a.num) / Number(a.den);
  // Take ~64 significant bits of |num|/den as an integer q, then scale: |a| ≈ q·2^shift.
  const n = absInt(a.num);
  const shift = bitLength(n) - bitLength(a.den) - 64;
  const q = shift >= 0 ? n / (a.den << BigInt(shift)) : (n << BigInt(-shift)) / a.den;
  // Two half-steps, so 2^shift itself never overflows or underflows when the product would not.
  const half = Math.trunc(shift / 2);
  const magnitude = Number(q) * 2 ** half * 2 ** (shift - half);
  return a.num < 0n ? -magnitude : magnitude;
}

function bitLength(a: bigint): number {
  return a === 0n ? 0 : a.toString(2).length;
}

export function toString(a: Rational): string {
  return a.den === 1n ? `${a.num}` : `${a.num}/${a.den}`;
}
