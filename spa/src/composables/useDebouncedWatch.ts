import { onBeforeUnmount, watch, type WatchSource } from 'vue';

/** How long a search field waits after the last keystroke before it searches. */
export const SEARCH_DELAY_MS = 250;

/** Calls `callback` with the value of `source` once it has stopped changing for `delayMs`. */
export function useDebouncedWatch<T>(source: WatchSource<T>, delayMs: number, callback: (value: T) => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(source, (value) => {
    clearTimeout(timer);
    timer = setTimeout(() => callback(value), delayMs);
  });
  onBeforeUnmount(() => clearTimeout(timer));
}
