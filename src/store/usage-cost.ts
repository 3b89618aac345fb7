/**
 * The cost of a usage row. Rounded to a millionth of a dollar so that binary floating point noise
 * (0.1 × 3 = 0.30000000000000004) never reaches a bill, while sub-cent prices stay exact.
 */
export function usageCost(seconds: number, pricePerSecond: number): number {
  return Math.round(seconds * pricePerSecond * 1e6) / 1e6;
}
