/**
 * Power spectra of real frames with an iterative radix-2 FFT, two frames per complex transform
 * (frame A in the real part, frame B in the imaginary part, separated afterwards by conjugate
 * symmetry): half the transforms a frame-by-frame loop would need. musicnn-frontend.ts's
 * spectrogram runs on it.
 */
export class PairedPowerFft {
  readonly bins: number;
  private readonly bitrev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** Frame A goes here (windowed), before power(). */
  readonly re: Float64Array;
  /** Frame B goes here (windowed; zeros when there is no second frame), before power(). */
  readonly im: Float64Array;

  constructor(readonly size: number) {
    const bits = Math.log2(size);
    if (!Number.isInteger(bits)) throw new Error(`FFT size must be a power of two, got ${size}`);
    this.bins = size / 2 + 1;
    this.bitrev = Uint32Array.from({ length: size }, (_, i) => {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      return r;
    });
    this.cos = Float64Array.from({ length: size / 2 }, (_, i) => Math.cos((-2 * Math.PI * i) / size));
    this.sin = Float64Array.from({ length: size / 2 }, (_, i) => Math.sin((-2 * Math.PI * i) / size));
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
  }

  /** Power spectra (|X|², bins 0..size/2) of the two frames placed in `re` and `im`; overwrites both. */
  power(powA: Float64Array, powB: Float64Array): void {
    const { re, im, size } = this;
    this.transform();
    for (let k = 0; k < this.bins; k++) {
      const n = (size - k) % size;
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[n]!;
      const ci = -im[n]!;
      const ar = (zr + cr) / 2;
      const ai = (zi + ci) / 2;
      const br = (zi - ci) / 2;
      const bi = (cr - zr) / 2;
      powA[k] = ar * ar + ai * ai;
      powB[k] = br * br + bi * bi;
    }
  }

  private transform(): void {
    const { re, im, bitrev, size: n } = this;
    for (let i = 0; i < n; i++) {
      const j = bitrev[i]!;
      if (j > i) {
        const r = re[i]!;
        re[i] = re[j]!;
        re[j] = r;
        const m = im[i]!;
        im[i] = im[j]!;
        im[j] = m;
      }
    }
    for (let size = 2; size <= n; size *= 2) {
      const half = size / 2;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0; k < half; k++) {
          const c = this.cos[k * step]!;
          const s = this.sin[k * step]!;
          const a = start + k;
          const b = a + half;
          const tr = re[b]! * c - im[b]! * s;
          const ti = re[b]! * s + im[b]! * c;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a]! += tr;
          im[a]! += ti;
        }
      }
    }
  }
}

/** The periodic Hann window (scipy's get_window('hann', n), which librosa uses). */
export function periodicHann(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}
