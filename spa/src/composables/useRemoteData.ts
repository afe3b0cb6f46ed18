import { ref, type Ref } from 'vue';
import { isApiStatus } from '../api';
import { errorMessage } from '../errorMessage';

/**
 * Data a view loads from the API: `data` (null until the first load succeeds), `loading` only
 * while nothing is shown yet, and `error` for the last failed load. `reload` refreshes in place,
 * without a spinner, and ignores answers to loads that a newer one overtook.
 */
export function useRemoteData<T>(load: () => Promise<T>) {
  const data = ref(null) as Ref<T | null>;
  const loading = ref(true);
  const error = ref<string | null>(null);
  let latest = 0;

  async function reload(): Promise<void> {
    const run = ++latest;
    try {
      const value = await load();
      if (run !== latest) return;
      data.value = value;
      error.value = null;
    } catch (failure) {
      if (run === latest) error.value = errorMessage(failure) ?? 'Could not load this page.';
    } finally {
      if (run === latest) loading.value = false;
    }
  }

  void reload();
  return { data, loading, error, reload };
}

/**
 * The record a page's address names, or `'missing'` when there is none: the server knows no
 * such id (404), or the address holds no valid id at all (400). Other failures stay failures.
 */
export async function orMissing<T>(request: Promise<T>): Promise<T | 'missing'> {
  try {
    return await request;
  } catch (failure) {
    if (isApiStatus(failure, 404) || isApiStatus(failure, 400)) return 'missing';
    throw failure;
  }
}
