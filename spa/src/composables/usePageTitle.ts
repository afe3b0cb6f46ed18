import { watchEffect } from 'vue';

const SUFFIX = 'Administration · Passkey Auth';

/** Keeps the tab's title naming what the page shows ("Acme · Administration · Passkey Auth"). */
export function usePageTitle(title: () => string | null | undefined) {
  watchEffect(() => {
    const current = title();
    document.title = current ? `${current} · ${SUFFIX}` : SUFFIX;
  });
}
