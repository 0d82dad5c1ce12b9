/**
 * AdamW (Loshchilov & Hutter) on the flat parameter vector, as torch.optim.AdamW computes it:
 *   p ← p − lr·λ·p                       (decoupled weight decay)
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
 *   p ← p − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * plus optional clipping of the gradient by its global L2 norm.
 */

export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly weightDecay?: number;
}

export class AdamW {
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** Number of steps taken. */
  steps = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;

  constructor(size: number, opts: AdamWOptions = {}) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
  }

  /** One update of `params` in place with gradient `grad` at learning rate `learningRate`. */
  step(params: Float64Array, grad: Float64Array, learningRate: number): void {
    this.steps++;
    const { m, v, beta1, beta2, epsilon } = this;
    const decay = 1 - learningRate * this.weightDecay;
    const correction1 = 1 - Math.pow(beta1, this.steps);
    const correction2 = 1 - Math.pow(beta2, this.steps);
    const stepSize = learningRate / correction1;
    const sqrtCorrection2 = Math.sqrt(correction2);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      params[i] = params[i]! * decay - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / sqrtCorrection2 + epsilon);
    }
  }
}

/** The gradient's global L2 norm. */
export function gradientNorm(grad: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < grad.length; i++) sum += grad[i]! * grad[i]!;
  return Math.sqrt(sum);
}

/** Scale `grad` in place so that its global L2 norm is at most maxNorm; returns the norm before clipping. */
export function clipGradientNorm(grad: Float64Array, maxNorm: number): number {
  const norm = gradientNorm(grad);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! * scale;
  }
  return norm;
}
