import { onBeforeUnmount, ref } from 'vue';

const TICK_MS = 30_000;

/** The current time, updated every 30 seconds, so relative times ("5 minutes ago") stay true. */
export function useNow() {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), TICK_MS);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
