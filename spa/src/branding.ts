/** What the server asks the pages to show of the service (server/ui/ui.ts, `--service-name`). */
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
