/**
 * USD for `seconds` of video, rounded to a millionth of a dollar so that binary floating point
 * noise (0.14 × 5 = 0.7000000000000001) never reaches a bill, while sub-cent prices stay exact.
 */
export function priceOf(seconds: number, pricePerSecond: number): number {
  return Math.round(seconds * pricePerSecond * 1e6) / 1e6;
}
