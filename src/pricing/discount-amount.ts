/** A coupon's discount on a list amount, in minor units: a percentage rounds half-up; a fixed amount never exceeds the price. */
export function discountAmount(d: { percentOff: number | null; amountOff: number | null }, listAmount: number): number {
  if (d.percentOff !== null) return Math.round((listAmount * d.percentOff) / 100);
  return Math.min(d.amountOff ?? 0, listAmount);
}
