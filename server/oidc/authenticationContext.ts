/**
 * What an ID token says about how the person signed in (`amr`, `acr`). Every sign-in is a passkey
 * with user verification (something held plus a PIN or biometric: RFC 8176 `mfa`). A passkey that
 * cannot leave its device (not backup-eligible) is a hardware-bound key (`hwk`); one that a
 * password manager or platform syncs is a software key (`swk`). An app that wants the first kind
 * asks for `ACR_DEVICE_BOUND` in `acr_values`; synced passkeys are then refused.
 */
import { ACR_DEVICE_BOUND, ACR_PASSKEY } from '../../shared/oidc.js';

export interface AuthenticationContext {
  amr: string[];
  acr: string;
}

/** The `amr` and `acr` of a sign-in with a passkey whose backup-eligible flag is `backupEligible`. */
export function authenticationContext(backupEligible: boolean): AuthenticationContext {
  return backupEligible ? { amr: ['swk', 'mfa'], acr: ACR_PASSKEY } : { amr: ['hwk', 'mfa'], acr: ACR_DEVICE_BOUND };
}

/** Whether a sign-in of context `acr` satisfies an `acr_values` request (none requested: any does). */
export function satisfiesAcrValues(acr: string, requested: readonly string[]): boolean {
  // Only the device-bound demand can fail: every sign-in is at least a passkey, and unknown values are ignored.
  return !requested.includes(ACR_DEVICE_BOUND) || requested.includes(ACR_PASSKEY) || acr === ACR_DEVICE_BOUND;
}
