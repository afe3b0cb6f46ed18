import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio, formatHexColor, parseHexColor, type Rgb } from '../../shared/colorContrast.js';
import { THEME_SURFACES, accentPalette } from './accentPalette.js';

const rgb = (hex: string): Rgb => parseHexColor(hex)!;
/** What a badge shows behind its text: 15% of the accent over the surface. */
const badgeTint = (accent: Rgb, surface: Rgb): Rgb => accent.map((channel, index) => Math.round(0.15 * channel + 0.85 * surface[index]!)) as unknown as Rgb;
/** Every `#rgb` colour: 4096 of them, from black to white through every hue. */
const EVERY_SHORT_COLOR = Array.from({ length: 4096 }, (_, index) => `#${index.toString(16).padStart(3, '0')}`);

describe('accentPalette', () => {
  it('uses the surfaces the stylesheet has', () => {
    const css = readFileSync(new URL('../../spa/src/styles/base.css', import.meta.url), 'utf8');
    const dark = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
    const surfaces = (block: string) => ['--bg', '--surface', '--surface-2'].map((name) => new RegExp(`${name}: (#[0-9a-f]{6});`).exec(block)![1]);
    expect(surfaces(css)).toEqual(THEME_SURFACES.light);
    expect(surfaces(dark)).toEqual(THEME_SURFACES.dark);
  });

  it('gives every colour text at 4.5:1 on the fill and its hover, and on every surface and badge of both themes', () => {
    const failures: string[] = [];
    const check = (color: string, use: string, a: string | Rgb, b: string | Rgb) => {
      const ratio = contrastRatio(typeof a === 'string' ? rgb(a) : a, typeof b === 'string' ? rgb(b) : b);
      if (ratio < 4.5) failures.push(`${color}: ${use} ${ratio.toFixed(2)}:1`);
    };
    for (const color of EVERY_SHORT_COLOR) {
      const palette = accentPalette(rgb(color));
      if (palette['accent-fill'] !== formatHexColor(rgb(color))) failures.push(`${color}: fill ${palette['accent-fill']}`);
      check(color, 'text on the fill', palette['accent-text'], palette['accent-fill']);
      check(color, 'text on the hover', palette['accent-text'], palette['accent-hover']);
      for (const [theme, accent] of [['light', palette.accent], ['dark', palette['accent-dark']]] as const) {
        for (const surface of THEME_SURFACES[theme]) {
          check(color, `${theme} accent on ${surface}`, accent, surface);
          check(color, `${theme} accent on its badge over ${surface}`, accent, badgeTint(rgb(accent), rgb(surface)));
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps a colour where it already reads, and otherwise changes its lightness only as far as needed', () => {
    // The built-in accents: each reads in its own theme.
    expect(accentPalette(rgb('#4f46e5'))).toMatchObject({ accent: '#4f46e5', 'accent-fill': '#4f46e5', 'accent-text': '#ffffff' });
    expect(accentPalette(rgb('#a19bff'))).toMatchObject({ 'accent-dark': '#a19bff', 'accent-text': '#000000' });
    // A pale yellow: black text on the buttons, a darker yellow-brown on the light pages.
    const yellow = accentPalette(rgb('#fc0'));
    expect(yellow).toMatchObject({ 'accent-fill': '#ffcc00', 'accent-text': '#000000', 'accent-dark': '#ffcc00' });
    expect(yellow.accent).toMatch(/^#[0-9a-f]{6}$/);
    const [r, g, b] = rgb(yellow.accent);
    expect(r / g).toBeCloseTo(255 / 204, 1);
    expect(b).toBe(0);
    // Only as dark as the hardest place needs: its badge on the darkest light surface.
    expect(contrastRatio(rgb(yellow.accent), badgeTint(rgb(yellow.accent), rgb('#f1f3f9')))).toBeLessThan(4.7);
    // Hover moves away from the text: darker under white text, lighter under black.
    expect(contrastRatio(rgb('#ffffff'), rgb(accentPalette(rgb('#0b7285'))['accent-hover']))).toBeGreaterThan(contrastRatio(rgb('#ffffff'), rgb('#0b7285')));
    expect(contrastRatio(rgb('#000000'), rgb(yellow['accent-hover']))).toBeGreaterThan(contrastRatio(rgb('#000000'), rgb('#ffcc00')));
  });
});
