"use client";

import { memo } from "react";
import { formatDuration } from "@/lib/format/duration";
import type { Highlights } from "@/lib/portal/match-roles";
import type { PortalRole } from "@/lib/portal/portal-role";
import { EDGE, EnvironmentBadge } from "./environment-badge";
import { Highlighted } from "./highlighted";

/**
 * The tile of a role the person may request (just-in-time access, issue 14): "Request access" (a
 * plain link to the request form, works without JavaScript) where a standing role has "Open
 * console"; with a request already waiting, a link to it instead. No star, no region panel: the
 * role opens nothing until a request is approved.
 */
export const EligibleRoleCard = memo(function EligibleRoleCard({
  role,
  showAccount,
  highlights,
  fromSearch,
}: {
  role: PortalRole;
  showAccount: boolean;
  highlights?: Highlights;
  fromSearch?: boolean;
}) {
  if (role.access?.kind !== "eligible") return null;
  const access = role.access;
  const who = `${role.roleName} in ${role.accountAlias}`;
  const approvals = access.approvalsRequired === 2 ? "two approvers" : "an approver";
  return (
    <li
      data-testid="role-tile"
      data-access="eligible"
      data-role-arn={role.roleArn}
      className={`portal-tile border-dashed${role.color ? ` ${EDGE[role.color]}` : ""}`}
    >
      <div className="mb-3">
        <div className="flex items-start justify-between gap-2">
          <p className="font-semibold break-all text-slate-900">
            <Highlighted text={role.roleName} ranges={highlights?.roleName} />
          </p>
          <span className="shrink-0 rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800">
            On request
          </span>
        </div>
        {showAccount && (
          <p className="text-sm text-slate-800">
            <Highlighted text={role.accountAlias} ranges={highlights?.accountAlias} />{" "}
            <span className="font-mono text-xs text-slate-600">
              <Highlighted text={role.accountId} ranges={highlights?.accountId} />
            </span>
          </p>
        )}
        {/* Under an account heading, the heading carries the environment badge (as for RoleCard). */}
        {showAccount && role.environment && role.color && (
          <p className="mt-1 flex flex-wrap gap-1">
            <EnvironmentBadge environment={role.environment} color={role.color} highlights={highlights?.environment} />
          </p>
        )}
        {role.label && (
          <p className="mt-1 text-sm text-slate-700">
            <Highlighted text={role.label} ranges={highlights?.label} />
          </p>
        )}
        <p className="mt-1 text-xs text-slate-600">
          Needs {approvals}, for up to {formatDuration(access.maxDuration)}
          {access.breakGlass ? "; break-glass allowed" : ""}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {access.pendingRequestId ? (
          <a
            href={role.href}
            data-nav-link=""
            data-from-search={fromSearch ? "" : undefined}
            className="portal-secondary-button"
            aria-label={`Request waiting: view your request for ${who}`}
            data-testid="pending-request-link"
          >
            Request waiting: view
          </a>
        ) : (
          <a
            href={role.href}
            data-nav-link=""
            data-from-search={fromSearch ? "" : undefined}
            className="portal-open"
            aria-label={`Request access to ${who}`}
            data-testid="request-access"
          >
            Request access
          </a>
        )}
      </div>
    </li>
  );
});
