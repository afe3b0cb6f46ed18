import { onMounted, ref, shallowRef } from 'vue';
import type { CreateLinkResponse, LinkInfo } from '../../../shared/api';
import { linkQrCode } from '../linkQrCode';
import { useReauthAction } from './useReauthAction';

/** The API calls for one person's one-time links: the person's own (account page) or another's (admin). */
export interface OneTimeLinkCalls {
  list: () => Promise<LinkInfo[]>;
  create: () => Promise<CreateLinkResponse>;
  revoke: (id: string) => Promise<void>;
}

/**
 * A panel's one-time links: `link`, the one just created, with its QR code (shown once: the server
 * never gives its token again), and `openLinks`, loaded on mount and again after each change, each
 * revocable. Revoking the link on show hides it. Calls the server may guard with a recent passkey
 * use re-authenticate first (`busy` and `error` as {@link useReauthAction} gives them).
 */
export function useOneTimeLinks(calls: OneTimeLinkCalls) {
  const { busy, error, run } = useReauthAction();
  const link = shallowRef<(CreateLinkResponse & { qrCode: string }) | null>(null);
  const openLinks = ref<LinkInfo[]>([]);

  const refresh = async () => void (openLinks.value = await calls.list());

  const create = () =>
    run(async () => {
      const created = await calls.create();
      link.value = { ...created, qrCode: await linkQrCode(created.url) };
      await refresh();
    });

  const revoke = (open: LinkInfo) =>
    run(async () => {
      await calls.revoke(open.id);
      if (link.value?.id === open.id) link.value = null;
      await refresh();
    });

  onMounted(() => run(refresh));
  return { busy, error, link, openLinks, create, revoke };
}
