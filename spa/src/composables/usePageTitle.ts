import { watchEffect } from 'vue';
import { isolate } from '../format';
import { serviceName } from '../branding';

/** The admin page's titles name their section: its views say only what they show. */
function section(): string | null {
  const view = document.querySelector<HTMLMetaElement>('meta[name="passkey-auth-view"]')?.content;
  return view === 'admin' ? 'Administration' : null;
}

/**
 * Keeps the tab's title naming what the page shows, then its section, if any, then the service:
 * "Sign in · Example Corp", "Acme · Administration · Example Corp".
 */
export function usePageTitle(title: () => string | null | undefined) {
  const suffix = [section(), serviceName()].filter(Boolean).join(' · ');
  watchEffect(() => {
    const current = title();
    // The title is often a name someone typed: isolated, it cannot reverse the suffix.
    document.title = current ? `${isolate(current)} · ${suffix}` : suffix;
  });
}
