/**
 * The sign-out page of RP-initiated logout (view `logout`) and the server: served at the end-session
 * endpoint's own URL when the app's request does not prove itself (API.md, "RP-initiated logout"),
 * it asks the person to confirm and posts the request's query back with the answer.
 */

/** The end-session endpoint (GET and POST), as discovery's `end_session_endpoint` names it. */
export const END_SESSION_PATH = '/auth/oidc/logout';
/** Where the page posts the person's confirmation (form fields `query` and `decision`). */
export const END_SESSION_CONFIRM_PATH = `${END_SESSION_PATH}/confirm`;
/** The page after signing out, when the app named no registered place to return to. */
export const END_SESSION_DONE_PATH = `${END_SESSION_PATH}/done`;

