// Synthetic datasets, following the well-known definitions (scikit-learn's where one exists).
// Every generator is deterministic in (options, rng) and returns samples in a random order (like
// scikit-learn's shuffle=True), so the first k rows are a fair subsample.
import { DataError } from './errors';
import { permutation, type Rng } from './random';

/** Generated samples: `x` is n*dim row-major, `y` a class index or a regression target per row. */
export interface Samples {
  x: Float32Array;
  y: Float32Array;
  n: number;
  dim: number;
  numClasses: number;
  featureNames: string[];
  classNames?: string[];
}

export type SyntheticName = 'moons' | 'circles' | 'spirals' | 'blobs' | 'xor' | 'regression';

export interface SyntheticOptions {
  /** Total samples. */
  samples: number;
  /** Noise level; meaning per generator (see each). Default: `SYNTHETIC_DEFAULTS[name].noise`. */
  noise?: number;
  /** `blobs`, `spirals`: number of classes (default 3 for blobs, 2 for spirals). */
  classes?: number;
  /** `regression`: number of input features (default 8; make_friedman1's is 10). */
  features?: number;
}

/** Defaults used when the data spec leaves `noise` / `classes` / `features` out. */
export const SYNTHETIC_DEFAULTS: Record<SyntheticName, { noise: number; classes?: number; features?: number }> = {
  moons: { noise: 0.1 },
  circles: { noise: 0.05 },
  spirals: { noise: 0.05, classes: 2 },
  blobs: { noise: 1, classes: 3 },
  xor: { noise: 0.05 },
  regression: { noise: 1, features: 8 },
};

/** numpy.linspace(start, stop, n, endpoint). */
function linspace(start: number, stop: number, n: number, endpoint = true): Float64Array {
  const out = new Float64Array(n);
  const div = endpoint ? n - 1 : n;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  if (endpoint && n > 1) out[n - 1] = stop;
  return out;
}

/** Sizes of `k` classes sharing `n` samples as evenly as possible (the first classes get the remainder). */
export function balancedCounts(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/** Reorders rows by a random permutation, then adds N(0, noise^2) to every coordinate. */
function shuffleAndJitter(x: Float64Array, y: Float64Array, dim: number, noise: number, rng: Rng): { x: Float32Array; y: Float32Array } {
  const n = y.length;
  const p = permutation(n, rng);
  const xs = new Float32Array(n * dim);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const src = p[i];
    ys[i] = y[src];
    for (let j = 0; j < dim; j++) xs[i * dim + j] = x[src * dim + j];
  }
  if (noise > 0) for (let i = 0; i < xs.length; i++) xs[i] += noise * rng.normal();
  return { x: xs, y: ys };
}

const xyNames = ['x1', 'x2'];

/**
 * sklearn.datasets.make_moons: class 0 is the upper half of the unit circle centred at (0, 0),
 * (cos t, sin t) for t = linspace(0, pi, floor(n/2)); class 1 the lower half of the unit circle centred
 * at (1, 0.5), (1 - cos t, 0.5 - sin t) for t = linspace(0, pi, n - floor(n/2)). Rows shuffled, then
 * Gaussian noise with std `noise` added to both coordinates.
 */
export function moons(samples: number, noise: number, rng: Rng): Samples {
  const nOut = Math.floor(samples / 2);
  const nIn = samples - nOut;
  const x = new Float64Array(samples * 2);
  const y = new Float64Array(samples);
  const tOut = linspace(0, Math.PI, nOut);
  const tIn = linspace(0, Math.PI, nIn);
  for (let i = 0; i < nOut; i++) {
    x[2 * i] = Math.cos(tOut[i]);
    x[2 * i + 1] = Math.sin(tOut[i]);
  }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    x[2 * r] = 1 - Math.cos(tIn[i]);
    x[2 * r + 1] = 1 - Math.sin(tIn[i]) - 0.5;
    y[r] = 1;
  }
  return { ...shuffleAndJitter(x, y, 2, noise, rng), n: samples, dim: 2, numClasses: 2, featureNames: xyNames };
}

/**
 * sklearn.datasets.make_circles with factor 0.5: class 0 on the unit circle at angles
 * linspace(0, 2pi, floor(n/2), endpoint=False), class 1 on the circle of radius 0.5 at
 * linspace(0, 2pi, n - floor(n/2), endpoint=False). Rows shuffled, then Gaussian noise (std `noise`).
 */
export function circles(samples: number, noise: number, rng: Rng, factor = 0.5): Samples {
  const nOut = Math.floor(samples / 2);
  const nIn = samples - nOut;
  const x = new Float64Array(samples * 2);
  const y = new Float64Array(samples);
  const tOut = linspace(0, 2 * Math.PI, nOut, false);
  const tIn = linspace(0, 2 * Math.PI, nIn, false);
  for (let i = 0; i < nOut; i++) {
    x[2 * i] = Math.cos(tOut[i]);
    x[2 * i + 1] = Math.sin(tOut[i]);
  }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    x[2 * r] = factor * Math.cos(tIn[i]);
    x[2 * r + 1] = factor * Math.sin(tIn[i]);
    y[r] = 1;
  }
  return { ...shuffleAndJitter(x, y, 2, noise, rng), n: samples, dim: 2, numClasses: 2, featureNames: xyNames };
}

/** Turns of each spiral arm. */
export const SPIRAL_TURNS = 1.5;

/**
 * `classes` interleaved Archimedean spirals (r proportional to the angle), balanced. Arm k has
 * points t_i = (i + 1) / n_k for i = 0..n_k-1 (so no two arms share the origin), radius r = t, angle
 * theta = 2pi * SPIRAL_TURNS * t + 2pi * k / classes, at (r cos theta, r sin theta); so on each arm
 * r = (theta - 2pi k / classes) / (2pi * SPIRAL_TURNS). Rows shuffled, then Gaussian noise (std `noise`).
 */
export function spirals(samples: number, noise: number, classes: number, rng: Rng): Samples {
  const counts = balancedCounts(samples, classes);
  const x = new Float64Array(samples * 2);
  const y = new Float64Array(samples);
  let r = 0;
  counts.forEach((nk, k) => {
    for (let i = 0; i < nk; i++, r++) {
      const t = (i + 1) / nk;
      const theta = 2 * Math.PI * SPIRAL_TURNS * t + (2 * Math.PI * k) / classes;
      x[2 * r] = t * Math.cos(theta);
      x[2 * r + 1] = t * Math.sin(theta);
      y[r] = k;
    }
  });
  return { ...shuffleAndJitter(x, y, 2, noise, rng), n: samples, dim: 2, numClasses: classes, featureNames: xyNames };
}

/**
 * Like sklearn.datasets.make_blobs(centers=classes, n_features=2, center_box=(-10, 10)):
 * centres uniform in [-10, 10]^2 (drawn first, x then y per centre), class sizes balanced (the first
 * classes get the remainder), each point centre + N(0, std^2) per coordinate with std = `noise`
 * (make_blobs' cluster_std; default 1).
 */
export function blobs(samples: number, noise: number, classes: number, rng: Rng): Samples {
  const centers = new Float64Array(classes * 2);
  for (let i = 0; i < centers.length; i++) centers[i] = -10 + 20 * rng.next();
  const x = new Float64Array(samples * 2);
  const y = new Float64Array(samples);
  let r = 0;
  balancedCounts(samples, classes).forEach((nk, k) => {
    for (let i = 0; i < nk; i++, r++) {
      x[2 * r] = centers[2 * k];
      x[2 * r + 1] = centers[2 * k + 1];
      y[r] = k;
    }
  });
  return { ...shuffleAndJitter(x, y, 2, noise, rng), n: samples, dim: 2, numClasses: classes, featureNames: xyNames };
}

/**
 * XOR: points uniform in [-1, 1]^2, label 1 when x1 * x2 > 0 (first and third quadrants), else 0;
 * then the inputs are jittered by N(0, noise^2) (labels stay those of the clean point, so noise
 * blurs the boundary along the axes). Classes are balanced in expectation, not exactly.
 */
export function xor(samples: number, noise: number, rng: Rng): Samples {
  const x = new Float32Array(samples * 2);
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const a = 2 * rng.next() - 1;
    const b = 2 * rng.next() - 1;
    y[i] = a * b > 0 ? 1 : 0;
    x[2 * i] = noise > 0 ? a + noise * rng.normal() : a;
    x[2 * i + 1] = noise > 0 ? b + noise * rng.normal() : b;
  }
  return { x, y, n: samples, dim: 2, numClasses: 2, featureNames: xyNames };
}

/** Friedman #1 on the first five inputs; inputs past `features` are taken as 0.5. */
export function friedman1(v: ArrayLike<number>, features = v.length): number {
  const g = (j: number): number => (j < features ? v[j] : 0.5);
  return 10 * Math.sin(Math.PI * g(0) * g(1)) + 20 * (g(2) - 0.5) ** 2 + 10 * g(3) + 5 * g(4);
}

/**
 * sklearn.datasets.make_friedman1: inputs uniform in [0, 1]^features,
 * y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + N(0, noise^2); features past the fifth are
 * irrelevant. With fewer than 5 features, the missing x_j are fixed at 0.5 (the slice through the
 * centre of the cube), so the function stays the same family.
 */
export function regression(samples: number, noise: number, features: number, rng: Rng): Samples {
  const x = new Float32Array(samples * features);
  const y = new Float32Array(samples);
  const row = new Float64Array(features);
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < features; j++) {
      // Rounded to float32 first so y is exactly the formula of the stored inputs.
      row[j] = Math.fround(rng.next());
      x[i * features + j] = row[j];
    }
    y[i] = friedman1(row, features) + (noise > 0 ? noise * rng.normal() : 0);
  }
  const featureNames = Array.from({ length: features }, (_, j) => `x${j + 1}`);
  return { x, y, n: samples, dim: features, numClasses: 1, featureNames };
}

/** Generates the named synthetic dataset with the defaults filled in. */
export function generateSynthetic(name: SyntheticName, opts: SyntheticOptions, rng: Rng): Samples {
  const d = SYNTHETIC_DEFAULTS[name];
  const noise = opts.noise ?? d.noise;
  const n = opts.samples;
  const classes = opts.classes ?? d.classes ?? 2;
  const features = opts.features ?? d.features ?? 8;
  if (!Number.isInteger(n) || n < 1) throw new DataError(`${name}: samples must be a positive integer, got ${n}`);
  if (!(noise >= 0)) throw new DataError(`${name}: noise must be >= 0, got ${noise}`);
  if ((name === 'blobs' || name === 'spirals') && (!Number.isInteger(classes) || classes < 2)) {
    throw new DataError(`${name}: classes must be an integer >= 2, got ${classes}`);
  }
  if (name === 'regression' && (!Number.isInteger(features) || features < 1)) {
    throw new DataError(`regression: features must be a positive integer, got ${features}`);
  }
  switch (name) {
    case 'moons':
      return moons(n, noise, rng);
    case 'circles':
      return circles(n, noise, rng);
    case 'spirals':
      return spirals(n, noise, classes, rng);
    case 'blobs':
      return blobs(n, noise, classes, rng);
    case 'xor':
      return xor(n, noise, rng);
    case 'regression':
      return regression(n, noise, features, rng);
  }
}
