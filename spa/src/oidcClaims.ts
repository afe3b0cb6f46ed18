/** How the consent screen names the claims an app will receive. */
const CLAIM_LABELS: Record<string, string> = {
  name: 'Your name',
  preferred_username: 'Your username',
  email: 'Your email address',
  email_verified: 'Your email address',
  groups: 'Your permissions for this app',
};

/** The labels of `claims`, in order, each once; claims without a label are named as they are. */
export function claimLabels(claims: readonly string[]): string[] {
  return [...new Set(claims.map((claim) => CLAIM_LABELS[claim] ?? claim))];
}
