import { PAGE_META } from '../../shared/pageMeta';

/** The content of one of the tags the server adds to every page (shared/pageMeta.ts), or null without it. */
export function pageMeta(name: keyof typeof PAGE_META): string | null {
  return document.querySelector<HTMLMetaElement>(`meta[name="${PAGE_META[name]}"]`)?.content ?? null;
}
