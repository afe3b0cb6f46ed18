import { watchEffect } from 'vue';
import { isolate } from '../format';
import { serviceName } from '../branding';

/** Keeps the tab's title naming what the page shows ("Acme · Administration · Example Corp"). */
export function usePageTitle(title: () => string | null | undefined) {
  const SUFFIX = `Administration · ${serviceName()}`;
  watchEffect(() => {
    const current = title();
    // The title is often a name someone typed: isolated, it cannot reverse the suffix.
    document.title = current ? `${isolate(current)} · ${SUFFIX}` : SUFFIX;
  });
}
