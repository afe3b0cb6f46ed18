/**
 * Colours as sRGB triples and their WCAG 2 contrast: the server derives the accent's shades
 * from it (server/ui/accentPalette.ts), and the browser tests measure what the pages show.
 */

/** Red, green and blue, 0–255. */
export type Rgb = readonly [number, number, number];

/** `#rgb` or `#rrggbb` (any case), else null. */
export function parseHexColor(text: string): Rgb | null {
  const match = /^#(?:([0-9a-f]{3})|([0-9a-f]{6}))$/i.exec(text);
  if (!match) return null;
  const hex = match[1] ? [...match[1]].map((digit) => digit + digit).join('') : match[2]!;
  return [0, 2, 4].map((start) => parseInt(hex.slice(start, start + 2), 16)) as unknown as Rgb;
}

/** `#rrggbb` in lower case. */
export function formatHexColor(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [first, second] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(first, second) + 0.05) / (Math.min(first, second) + 0.05);
}
