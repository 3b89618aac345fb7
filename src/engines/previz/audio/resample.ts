/**
 * Sample-rate conversion with a windowed sinc (Lanczos, 8 lobes): espeak-ng speaks at 22 050 Hz
 * and the track is 48 kHz. Pure arithmetic, so the same input always gives the same output.
 */

const LOBES = 8;

/** The kernel tabulated finely once: two sines per tap would cost more than the speech itself. */
const STEPS = 1024;
const KERNEL = Float64Array.from({ length: LOBES * STEPS + 2 }, (_, i) => {
  const x = i / STEPS;
  if (x === 0) return 1;
  if (x >= LOBES) return 0;
  const px = Math.PI * x;
  return (LOBES * Math.sin(px) * Math.sin(px / LOBES)) / (px * px);
});

const lanczos = (x: number) => {
  const position = Math.abs(x) * STEPS;
  const index = Math.floor(position);
  if (index >= LOBES * STEPS) return 0;
  const a = KERNEL[index] ?? 0;
  return a + ((KERNEL[index + 1] ?? 0) - a) * (position - index);
};

/** @example resample(speech, 22_050, 48_000) */
export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input.slice();
  const output = new Float32Array(Math.floor((input.length * to) / from));
  // Going down, the kernel widens to cut what the lower rate cannot hold.
  const scale = Math.min(1, to / from);
  const reach = Math.ceil(LOBES / scale);
  for (let i = 0; i < output.length; i++) {
    const centre = (i * from) / to;
    const first = Math.floor(centre) - reach + 1;
    let sum = 0;
    let weights = 0;
    for (let k = first; k < first + 2 * reach; k++) {
      const weight = lanczos((centre - k) * scale);
      weights += weight;
      if (k >= 0 && k < input.length) sum += weight * (input[k] ?? 0);
    }
    output[i] = weights === 0 ? 0 : sum / weights;
  }
  return output;
}
