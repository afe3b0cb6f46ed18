import { useAsyncAction } from './useAsyncAction';
import { usePasskeyCeremony } from './usePasskeyCeremony';

/**
 * {@link useAsyncAction} for changes the server may guard with a recent passkey use: runs the
 * action, and when the server asks for a fresh passkey check (`reauth`), the user confirms with
 * their passkey and the action is run once more.
 */
export function useReauthAction() {
  const action = useAsyncAction();
  const { withReauth } = usePasskeyCeremony();
  const run = (task: () => Promise<void>) => action.run(() => withReauth(task));
  return { busy: action.busy, error: action.error, run };
}
