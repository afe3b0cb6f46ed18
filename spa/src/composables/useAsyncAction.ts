import { ref } from 'vue';
import { errorMessage } from '../errorMessage';

/**
 * Busy flag and friendly error for one user action (a button and its error area).
 * While the action runs, further runs are ignored, so double clicks do nothing.
 */
export function useAsyncAction() {
  const busy = ref(false);
  const error = ref<string | null>(null);

  async function run(task: () => Promise<void>): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    error.value = null;
    try {
      await task();
      return true;
    } catch (failure) {
      error.value = errorMessage(failure);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
