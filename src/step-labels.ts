/**
 * How a step of a capacity curve is named: its strategy's label and the rate it was offered, `pooled(max=50)@4000`.
 * Written by the run plan, read back by the curve, merge, size --from and report. Imports nothing.
 */

const STEP_RATE = /@([\d.]+)$/;

/** A step's label: its curve's label and the rate it was offered. */
export function stepLabel(curve: string, ratePerSec: number): string {
  return `${curve}@${ratePerSec}`;
}

/** The label of a step of a capacity curve without its rate: the strategy's curve it belongs to. */
export function curveLabel(label: string): string {
  return label.replace(STEP_RATE, '');
}

/** The rate a step of a capacity curve was offered, as its label says (`pooled(max=50)@4000` → 4000); null for other runs. */
export function stepRate(label: string): number | null {
  const match = STEP_RATE.exec(label);
  return match ? Number(match[1]) : null;
}
