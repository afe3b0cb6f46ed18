import { onBeforeUnmount, readonly, ref } from 'vue';

const TICK_MS = 30_000;

/** One clock for the whole page, ticking only while some component uses it. */
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/** The current time, updated every 30 seconds, so relative times ("5 minutes ago") stay true. */
export function useNow() {
  if (users++ === 0) {
    now.value = Date.now();
    timer = setInterval(() => (now.value = Date.now()), TICK_MS);
  }
  onBeforeUnmount(() => {
    if (--users === 0) clearInterval(timer);
  });
  return readonly(now);
}
