/** USD for `seconds` of video, to a millionth of a dollar (no float dust such as 0.7000000000000001). */
export function priceOf(seconds: number, pricePerSecond: number): number {
  return Math.round(seconds * pricePerSecond * 1e6) / 1e6;
}
