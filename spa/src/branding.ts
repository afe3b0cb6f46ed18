/** What the server asks the pages to show of the service: `--service-name`, `--logo`, `--accent-color` (server/ui/ui.ts). */
import { ACCENT_COLORS } from '../../shared/pageMeta';
import { pageMeta } from './pageMeta';

/** The name without the server's tag: `npm run dev:spa` serves the pages as built. */
const UNNAMED_SERVICE = 'Passkey Auth';

/** The service's name, for the header and titles. */
export function serviceName(): string {
  return pageMeta('serviceName') || UNNAMED_SERVICE;
}

/** The service's logo for the header, or null for the built-in mark. */
export function logoUrl(): string | null {
  return pageMeta('logo');
}

/**
 * Hands a configured accent's colours to the stylesheet as `--brand-<name>` on the root element,
 * where spa/src/styles/base.css picks them up in either theme. Without one, nothing changes.
 */
export function applyAccent(): void {
  const colors = pageMeta('accent')?.split(' ') ?? [];
  ACCENT_COLORS.forEach((name, index) => {
    const color = colors[index];
    if (color && /^#[0-9a-f]{6}$/.test(color)) document.documentElement.style.setProperty(`--brand-${name}`, color);
  });
}
