import { onBeforeUnmount, readonly, ref, type Ref } from 'vue';

/** Whether the media query (`(max-width: 40rem)`) matches, following changes such as a rotated phone. */
export function useMediaQuery(query: string): Readonly<Ref<boolean>> {
  const list = window.matchMedia(query);
  const matches = ref(list.matches);
  const update = (event: MediaQueryListEvent) => (matches.value = event.matches);
  list.addEventListener('change', update);
  onBeforeUnmount(() => list.removeEventListener('change', update));
  return readonly(matches);
}
