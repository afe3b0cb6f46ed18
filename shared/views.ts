/**
 * The SPA's pages ("views"): each is one HTML entry `spa/<view>.html` (made from spa/page.html
 * by spa/viewPages.ts) that vite builds into
 * `dist/spa/<view>.html`, the server loads at start-up, and host-mode routing chooses between.
 */
export const VIEWS = ['main', 'account', 'admin', 'reset', 'restricted', 'notFound', 'authorize', 'logout'] as const;

export type View = (typeof VIEWS)[number];
