"use client";

import { useId, useState } from "react";
import { CONSOLE_REGIONS, CONSOLE_SERVICES, consoleServicePath, goLink } from "@/lib/aws/console-services";
import type { PortalRole } from "@/lib/portal/portal-role";
import { CopyButton } from "../copy-button";

/**
 * The tile's "Region and service" panel: open the console in a chosen region or straight at a
 * service, each a /go deep link with `destination` (bookmarkable), with Copy link beside it.
 * Rendered only while open, so 500 tiles do not carry 500 copies of it.
 */
export function TileMenu({
  role,
  baseUrl,
  onClose,
  onOpen,
}: {
  role: PortalRole;
  baseUrl: string;
  /** Escape: close and give focus back to the toggle. */
  onClose: () => void;
  /** A link in the panel was followed (new tab or not). */
  onOpen: (event: React.MouseEvent<HTMLAnchorElement>) => void;
}) {
  const id = useId();
  const [region, setRegion] = useState(role.defaultRegion ?? "");
  const who = `${role.roleName} in ${role.accountAlias}`;
  return (
    <div
      data-testid="tile-menu"
      role="group"
      aria-label={`Region and service for ${who}`}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
      className="mt-3 rounded-lg border border-slate-200 bg-slate-50 p-3"
    >
      <label htmlFor={`${id}-region`} className="mb-1 block text-sm font-medium text-slate-800">
        Region
      </label>
      <select
        id={`${id}-region`}
        value={region}
        onChange={(e) => setRegion(e.target.value)}
        className="mb-3 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900"
      >
        <option value="">{role.defaultRegion ? `Account default (${role.defaultRegion})` : "Console default"}</option>
        {CONSOLE_REGIONS[role.partition].map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <ul className="space-y-1" aria-label={`Services for ${who}`}>
        {CONSOLE_SERVICES.map((service) => {
          const href = goLink(role.accountAlias, role.roleName, consoleServicePath(service, region || null));
          return (
            <li key={service.id} className="flex items-center justify-between gap-2">
              <a
                href={href}
                onClick={onOpen}
                data-testid="service-link"
                className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
                aria-label={`Open ${service.name} as ${who}${region && !service.global ? ` in ${region}` : ""}`}
              >
                {service.name}
              </a>
              <CopyButton
                text={`${baseUrl}${href}`}
                label={`Copy link to ${service.name} as ${who}${region && !service.global ? ` in ${region}` : ""}`}
                idleText="Copy link"
                failedHint="Your browser refused the clipboard: copy the link's address instead."
                className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-wait"
              />
            </li>
          );
        })}
      </ul>
    </div>
  );
}
