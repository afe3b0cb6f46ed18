/** The keyboard focus ring's contrast against what it is drawn on (WCAG 2.2: at least 3:1). */
import type { Locator } from '@playwright/test';
import { contrastRatio, type Rgb } from '../../shared/colorContrast.js';

/** `rgb(r, g, b)` as computed styles give it; null for anything translucent or in another notation. */
export function parseOpaqueRgb(color: string): Rgb | null {
  const match = /^rgba?\((\d+), (\d+), (\d+)(?:, (1|0?\.\d+))?\)$/.exec(color);
  if (!match || (match[4] !== undefined && match[4] !== '1')) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * The contrast of `target`'s outline, once it is focused from the keyboard, against the first
 * opaque background behind it (the ring sits outside the element). A translucent ring counts
 * as 0: its colour depends on what shows through, and it was the cause of the old 2:1 ring.
 */
export async function focusRingContrast(target: Locator): Promise<number> {
  const page = target.page();
  for (let presses = 0; presses < 20 && !(await target.evaluate((element) => element === element.ownerDocument.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  const { outline, background } = await target.evaluate((element) => {
    const view = element.ownerDocument.defaultView!;
    let behind = element.parentElement;
    while (behind && view.getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') behind = behind.parentElement;
    return {
      outline: view.getComputedStyle(element).outlineColor,
      background: view.getComputedStyle(behind ?? element.ownerDocument.documentElement).backgroundColor,
    };
  });
  const ring = parseOpaqueRgb(outline);
  const ground = parseOpaqueRgb(background);
  if (!ring || !ground) return 0;
  return contrastRatio(ring, ground);
}
