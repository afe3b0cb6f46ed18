/**
 * The shades of a configured accent colour (`--accent-color`), chosen so that every use of it
 * stays readable in both themes:
 * - behind text (primary buttons, the built-in mark) the colour itself, with black or white text,
 *   whichever contrasts more (never under 4.58:1, the worst case of either); on hover it moves
 *   further from that text, so the contrast only grows;
 * - on the page (links, badges on their 15% tint, icons, the focus ring) the colour with the
 *   least change of lightness (same hue and saturation) that gives text 4.5:1 against every
 *   surface of the theme: darker in the light theme, lighter in the dark one. Black and white
 *   always get there, so no colour is refused; one too pale or too dark for a theme appears
 *   there in a deeper or lighter shade (README, "Branding").
 */
import type { AccentPalette } from '../../shared/pageMeta.js';
import { contrastRatio, formatHexColor, parseHexColor, type Rgb } from '../../shared/colorContrast.js';

/** WCAG 2 AA for normal text; also above the 3:1 a focus ring needs. */
const TEXT_CONTRAST = 4.5;
/** How far the hover shade moves in HSL lightness. */
const HOVER_STEP = 0.08;
/** The badge background: `color-mix(in srgb, var(--accent) 15%, transparent)` (base.css). */
const BADGE_TINT = 0.15;

/** The backgrounds the accent sits on: --bg, --surface and --surface-2 of spa/src/styles/base.css. */
export const THEME_SURFACES = {
  light: ['#f6f7fb', '#ffffff', '#f1f3f9'],
  dark: ['#0f121a', '#181c27', '#202534'],
} as const;

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/** The palette of `color` (any sRGB colour). */
export function accentPalette(color: Rgb): AccentPalette {
  const text = contrastRatio(color, WHITE) >= contrastRatio(color, BLACK) ? WHITE : BLACK;
  return {
    accent: formatHexColor(readableOn(color, THEME_SURFACES.light.map(rgbOf), -1)),
    'accent-dark': formatHexColor(readableOn(color, THEME_SURFACES.dark.map(rgbOf), +1)),
    'accent-fill': formatHexColor(color),
    'accent-hover': formatHexColor(withLightness(color, (lightness) => lightness + (text === WHITE ? -HOVER_STEP : HOVER_STEP))),
    'accent-text': formatHexColor(text),
  };
}

/**
 * `color`, or the nearest shade of it in `direction` (-1 darker, +1 lighter) in steps of 1% of
 * lightness, that reads at 4.5:1 on every surface and on its own badge tint over each.
 */
function readableOn(color: Rgb, surfaces: Rgb[], direction: -1 | 1): Rgb {
  const readable = (shade: Rgb) =>
    surfaces.every((surface) => contrastRatio(shade, surface) >= TEXT_CONTRAST && contrastRatio(shade, mix(shade, surface, BADGE_TINT)) >= TEXT_CONTRAST);
  for (let step = 0; step <= 100; step += 1) {
    const shade = withLightness(color, (lightness) => lightness + (direction * step) / 100);
    if (readable(shade)) return shade;
  }
  // Lightness 0 or 1 is black or white, which read on these surfaces (accentPalette.test.ts).
  return direction < 0 ? BLACK : WHITE;
}

/** `part` of `color` over `ground`, channel by channel as sRGB colour mixing does. */
function mix(color: Rgb, ground: Rgb, part: number): Rgb {
  return color.map((channel, index) => Math.round(channel * part + ground[index]! * (1 - part))) as unknown as Rgb;
}

function rgbOf(hex: string): Rgb {
  return parseHexColor(hex)!;
}

/** `color` with its HSL lightness changed by `change` (clamped to 0–1), rounded to whole channels. */
function withLightness(color: Rgb, change: (lightness: number) => number): Rgb {
  const [hue, saturation, lightness] = toHsl(color);
  return fromHsl(hue, saturation, Math.min(1, Math.max(0, change(lightness))));
}

function toHsl([r, g, b]: Rgb): [number, number, number] {
  const [red, green, blue] = [r / 255, g / 255, b / 255];
  const max = Math.max(red, green, blue);
  const min = Math.min(red, green, blue);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  if (chroma === 0) return [0, 0, lightness];
  const saturation = chroma / (1 - Math.abs(2 * lightness - 1));
  const hue = max === red ? ((green - blue) / chroma + 6) % 6 : max === green ? (blue - red) / chroma + 2 : (red - green) / chroma + 4;
  return [hue * 60, saturation, lightness];
}

function fromHsl(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (offset: number) => {
    const k = (offset + hue / 30) % 12;
    return Math.round((lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255);
  };
  return [channel(0), channel(8), channel(4)];
}
