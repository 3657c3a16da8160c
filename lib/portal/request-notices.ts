/**
 * The sentence a request page shows after an action (the `notice` of the redirect after the POST),
 * and where an action may send the browser back to.
 */
export const REQUEST_NOTICES = {
  requested: "Request sent. Copy the link below for an approver, or wait for one to decide.",
  activated: "Break-glass access is active now. The approvers have been notified and will review it.",
  approve: "Approved.",
  deny: "Denied.",
  cancel: "Request cancelled.",
  revoke: "Grant revoked: it ends at the requester's next click.",
  review: "Marked as reviewed.",
} as const;
export type RequestNotice = keyof typeof REQUEST_NOTICES;

export function noticeText(notice: string | undefined): string | null {
  return notice && Object.hasOwn(REQUEST_NOTICES, notice) ? REQUEST_NOTICES[notice as RequestNotice] : null;
}

/** A path of this site to go back to after an action (never another origin), with the notice added; else `fallback`. */
export function backWithNotice(back: string | undefined, notice: RequestNotice, fallback: string): string {
  const safe = back && /^\/(?![/\\])[^\s\\]*$/.test(back) ? back : fallback;
  const url = new URL(safe, "http://jetway.invalid");
  url.searchParams.set("notice", notice);
  return `${url.pathname}${url.search}${url.hash}`;
}
