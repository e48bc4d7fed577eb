/** Number formats shared by the pages. */

/** 0.9731 → "97.3%". */
export function percent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : '–';
}

/** A value with about 4 significant digits, compact for very small or large ones. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

/** 12345 → "12,345". */
export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Colours of classes and series (Okabe–Ito: distinguishable with the common colour-vision deficiencies). */
export const PALETTE = [
  '#E69F00',
  '#0072B2',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

/** The palette colour of index `i`, cycling. */
export function colour(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** `#rrggbb` → [r, g, b]. */
export function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
