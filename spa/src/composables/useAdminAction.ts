import { useAsyncAction } from './useAsyncAction';
import { usePasskeyCeremony } from './usePasskeyCeremony';

/**
 * {@link useAsyncAction} for admin changes: should the server want a recent passkey use first
 * (`reauth`), the admin confirms with their passkey and the change is sent once more.
 */
export function useAdminAction() {
  const action = useAsyncAction();
  const { withReauth } = usePasskeyCeremony();
  const run = (task: () => Promise<void>) => action.run(() => withReauth(task));
  return { busy: action.busy, error: action.error, run };
}
