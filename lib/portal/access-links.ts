/** The just-in-time pages' addresses (issue 14), relative to JETWAY_BASE_URL. */

/** The request form for one eligible (mapping, role): what a portal tile's "Request access" opens. */
export function requestAccessHref(mappingId: string, roleArn: string): string {
  return `/requests/new?${new URLSearchParams({ mapping: mappingId, role: roleArn })}`;
}

/** One request's page: the link a requester copies for approvers. */
export function requestHref(requestId: string): string {
  return `/requests/${encodeURIComponent(requestId)}`;
}
