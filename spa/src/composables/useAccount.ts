import { ref } from 'vue';
import type { UserInfoSession } from '../../../shared/api';
import { isApiStatus, userInfo } from '../api';
import { errorMessage } from '../errorMessage';

export type AccountState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; info: UserInfoSession }
  /** The server could not say; the page still offers to sign in. */
  | { status: 'unavailable'; message: string };

/** Who is signed in on this host, loaded at once; `refresh` reloads without flashing a spinner. */
export function useAccount() {
  const state = ref<AccountState>({ status: 'loading' });

  async function refresh(): Promise<void> {
    try {
      state.value = { status: 'signedIn', info: await userInfo() };
    } catch (error) {
      if (isApiStatus(error, 401)) state.value = { status: 'signedOut' };
      else state.value = { status: 'unavailable', message: `Could not check whether you are signed in. ${errorMessage(error) ?? ''}` };
    }
  }

  void refresh();
  return { state, refresh };
}
