import { watchEffect } from 'vue';
import { isolate } from '../format';

const SUFFIX = 'Administration · Passkey Auth';

/** Keeps the tab's title naming what the page shows ("Acme · Administration · Passkey Auth"). */
export function usePageTitle(title: () => string | null | undefined) {
  watchEffect(() => {
    const current = title();
    // The title is often a name someone typed: isolated, it cannot reverse the suffix.
    document.title = current ? `${isolate(current)} · ${SUFFIX}` : SUFFIX;
  });
}
