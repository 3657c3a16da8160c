"use client";

import { useRef, useState } from "react";
import { formatDuration } from "@/lib/format/duration";
import type { Highlights } from "@/lib/portal/match-roles";
import type { PortalRole } from "@/lib/portal/portal-role";
import { CopyButton } from "../copy-button";
import { useHydrated } from "../use-hydrated";
import { EDGE, EnvironmentBadge } from "./environment-badge";
import { Highlighted } from "./highlighted";
import { TileMenu } from "./tile-menu";

export interface FavouriteActions {
  /** The useActionState dispatcher of the favourites server action (a form posts to it even before hydration). */
  dispatch: (formData: FormData) => void;
  /** Called as a favourites form is submitted, before the action runs. */
  onSubmit: (formData: FormData) => void;
}

/** Where a favourite sits in the person's list, for its move buttons (absent: not a favourite, or shown elsewhere). */
export interface FavouritePlace {
  index: number;
  count: number;
}

const iconButton =
  "inline-flex h-8 min-w-8 items-center justify-center rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-700 hover:bg-slate-100 disabled:cursor-wait aria-disabled:opacity-50";

/** A small form posting one favourites change (works without JavaScript too: a server action). */
function FavouriteForm({
  actions,
  op,
  roleArn,
  children,
}: {
  actions: FavouriteActions;
  op: string;
  roleArn: string;
  children: React.ReactNode;
}) {
  return (
    <form
      action={actions.dispatch}
      onSubmit={(e) => actions.onSubmit(new FormData(e.currentTarget))}
      className="inline"
    >
      <input type="hidden" name="op" value={op} />
      <input type="hidden" name="roleArn" value={roleArn} />
      {children}
    </form>
  );
}

/**
 * One role's tile: a plain link to /go (works without JavaScript), its environment badge, the
 * star, Copy link and the region/service panel; favourites also get move up/down buttons.
 */
export function RoleCard({
  role,
  baseUrl,
  starred,
  place,
  showAccount,
  highlights,
  fromSearch,
  favouriteActions,
  onOpenElsewhere,
  onDragMove,
}: {
  role: PortalRole;
  baseUrl: string;
  starred: boolean;
  place?: FavouritePlace;
  /** Name the account on the tile (favourites, results); under an account heading it is implied. */
  showAccount: boolean;
  highlights?: Highlights;
  /** A search result: Enter on its link opens with the production check (PortalView). */
  fromSearch?: boolean;
  favouriteActions: FavouriteActions;
  /** A console was opened in another tab: the portal refreshes its clocks when it is seen again. */
  onOpenElsewhere: () => void;
  /** A favourite dropped on this one's place. */
  onDragMove?: (roleArn: string, to: number) => void;
}) {
  const hydrated = useHydrated();
  const [menuOpen, setMenuOpen] = useState(false);
  const [dropTarget, setDropTarget] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const who = `${role.roleName} in ${role.accountAlias}`;
  const menuId = `menu-${role.roleArn.replace(/[^\w-]/g, "_")}`;
  const opened = (e: React.MouseEvent<HTMLAnchorElement>) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1) onOpenElsewhere();
  };
  const draggable = place !== undefined && hydrated;
  return (
    <li
      data-testid="role-tile"
      data-role-arn={role.roleArn}
      draggable={draggable || undefined}
      onDragStart={draggable ? (e) => e.dataTransfer.setData("application/x-jetway-role", role.roleArn) : undefined}
      onDragOver={
        place
          ? (e) => {
              if (!e.dataTransfer.types.includes("application/x-jetway-role")) return;
              e.preventDefault();
              setDropTarget(true);
            }
          : undefined
      }
      onDragLeave={place ? () => setDropTarget(false) : undefined}
      onDrop={
        place
          ? (e) => {
              e.preventDefault();
              setDropTarget(false);
              const dragged = e.dataTransfer.getData("application/x-jetway-role");
              if (dragged && dragged !== role.roleArn) onDragMove?.(dragged, place.index);
            }
          : undefined
      }
      className={`flex flex-col justify-between rounded-xl border border-slate-200 bg-white p-4 shadow-sm ${
        role.color ? `border-l-4 ${EDGE[role.color]}` : ""
      } ${dropTarget ? "ring-2 ring-brand-600" : ""}`}
    >
      <div className="mb-3">
        <div className="flex items-start justify-between gap-2">
          <p className="font-semibold break-all text-slate-900">
            <Highlighted text={role.roleName} ranges={highlights?.roleName} />
          </p>
          <div className="flex shrink-0 gap-1">
            <button
              ref={toggle}
              type="button"
              disabled={!hydrated}
              aria-expanded={menuOpen}
              aria-controls={menuOpen ? menuId : undefined}
              aria-label={`Region and service for ${who}`}
              onClick={() => setMenuOpen((open) => !open)}
              className={iconButton}
            >
              <span aria-hidden="true">Region ▾</span>
            </button>
            <FavouriteForm actions={favouriteActions} op={starred ? "unstar" : "star"} roleArn={role.roleArn}>
              <button
                type="submit"
                aria-pressed={starred}
                aria-label={`Favourite ${who}`}
                title={starred ? "Remove from favourites" : "Add to favourites"}
                data-focus-key={`star:${role.roleArn}`}
                className={`${iconButton} ${starred ? "border-amber-400 bg-amber-50 text-amber-800" : ""}`}
              >
                <span aria-hidden="true">{starred ? "★" : "☆"}</span>
              </button>
            </FavouriteForm>
          </div>
        </div>
        {showAccount && (
          <p className="text-sm text-slate-800">
            <Highlighted text={role.accountAlias} ranges={highlights?.accountAlias} />{" "}
            <span className="font-mono text-xs text-slate-600">
              <Highlighted text={role.accountId} ranges={highlights?.accountId} />
            </span>
          </p>
        )}
        {(role.environment || (showAccount && role.partitionLabel !== "AWS")) && (
          <p className="mt-1 flex flex-wrap gap-1">
            {role.environment && role.color && (
              <EnvironmentBadge
                environment={role.environment}
                color={role.color}
                highlights={highlights?.environment}
              />
            )}
            {showAccount && role.partitionLabel !== "AWS" && (
              <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                {role.partitionLabel}
              </span>
            )}
          </p>
        )}
        {role.label && (
          <p className="mt-1 text-sm text-slate-700">
            <Highlighted text={role.label} ranges={highlights?.label} />
          </p>
        )}
        <p className="mt-1 text-xs text-slate-600">Session up to {formatDuration(role.sessionDuration)}</p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <a
          href={role.href}
          data-nav-link=""
          data-from-search={fromSearch ? "" : undefined}
          data-role-arn={role.roleArn}
          onClick={opened}
          onAuxClick={opened}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
          aria-label={`Open console as ${who}`}
        >
          Open console
        </a>
        <CopyButton
          text={`${baseUrl}${role.href}`}
          label={`Copy link to ${who}`}
          idleText="Copy link"
          failedHint="Your browser refused the clipboard: copy the address of “Open console” instead."
        />
        {place && (
          <>
            <FavouriteForm actions={favouriteActions} op="up" roleArn={role.roleArn}>
              <button
                type="submit"
                aria-disabled={place.index === 0}
                onClick={(e) => place.index === 0 && e.preventDefault()}
                aria-label={`Move ${who} up`}
                data-focus-key={`up:${role.roleArn}`}
                className={iconButton}
              >
                <span aria-hidden="true">↑</span>
              </button>
            </FavouriteForm>
            <FavouriteForm actions={favouriteActions} op="down" roleArn={role.roleArn}>
              <button
                type="submit"
                aria-disabled={place.index === place.count - 1}
                onClick={(e) => place.index === place.count - 1 && e.preventDefault()}
                aria-label={`Move ${who} down`}
                data-focus-key={`down:${role.roleArn}`}
                className={iconButton}
              >
                <span aria-hidden="true">↓</span>
              </button>
            </FavouriteForm>
          </>
        )}
      </div>
      {menuOpen && (
        <div id={menuId}>
          <TileMenu
            role={role}
            baseUrl={baseUrl}
            onOpen={opened}
            onClose={() => {
              setMenuOpen(false);
              toggle.current?.focus();
            }}
          />
        </div>
      )}
    </li>
  );
}
