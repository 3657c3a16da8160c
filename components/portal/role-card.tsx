"use client";

import { memo, useRef, useState } from "react";
import { formatDuration } from "@/lib/format/duration";
import type { Highlights } from "@/lib/portal/match-roles";
import type { PortalRole } from "@/lib/portal/portal-role";
import { CopyButtonControl } from "../copy-button";
import { EDGE, EnvironmentBadge } from "./environment-badge";
import { GrantTimeLeft } from "./grant-time-left";
import { Highlighted } from "./highlighted";
import { TileMenu } from "./tile-menu";

/** The one form every favourites button posts (PortalView): a button names its change as `op:roleArn`. */
export const FAVOURITES_FORM_ID = "portal-favourites";

/** What every tile of the portal shares (stable between keystrokes). */
export interface CardContext {
  baseUrl: string;
  /** Role ARNs the person starred. */
  starred: ReadonlySet<string>;
  /** A console was opened in another tab: the portal refreshes its clocks when it is seen again. */
  onOpenElsewhere: () => void;
  /** A favourite dropped on the place of the favourite at `to`. */
  onDragMove: (roleArn: string, to: number) => void;
}

/** Where a favourite sits in the person's list, for its move buttons. */
export type FavouritePlace = "only" | "first" | "middle" | "last";

const DRAG_TYPE = "application/x-jetway-role";

/**
 * A favourites button: a submit button of the shared form, its change in its value. One form for
 * the page (not one per tile) keeps 500 tiles light; it posts without JavaScript too.
 */
function FavouriteButton({
  op,
  roleArn,
  label,
  focusKey,
  inert,
  pressed,
  className = "portal-icon-button",
  children,
}: {
  op: string;
  roleArn: string;
  label: string;
  /** Which of the tile's buttons gets the focus back after the change (the tile may move to another section). */
  focusKey: "star" | "up" | "down";
  /** At an end of the list: announced as unavailable, does nothing. */
  inert?: boolean;
  pressed?: boolean;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <button
      type="submit"
      form={FAVOURITES_FORM_ID}
      name="favourite"
      value={`${op}:${roleArn}`}
      aria-label={label}
      aria-pressed={pressed}
      aria-disabled={inert || undefined}
      onClick={inert ? (e) => e.preventDefault() : undefined}
      data-focus-key={focusKey}
      className={className}
    >
      <span aria-hidden="true">{children}</span>
    </button>
  );
}

/**
 * One role's tile: a plain link to /go (works without JavaScript), its environment badge, the
 * star, Copy link and the region/service panel; favourites also get move up/down buttons and can
 * be dragged onto another favourite's place. Its buttons need JavaScript: the tiles are drawn
 * inside one HydratedFieldset (PortalSections, SearchResults), which enables them all at once.
 */
export const RoleCard = memo(function RoleCard({
  role,
  context,
  place,
  index = 0,
  showAccount,
  highlights,
  fromSearch,
}: {
  role: PortalRole;
  context: CardContext;
  /** Set for a tile in Favourites: its move buttons and drag and drop. */
  place?: FavouritePlace;
  /** Its index in Favourites. */
  index?: number;
  /** Name the account on the tile (favourites, results); under an account heading it is implied. */
  showAccount: boolean;
  highlights?: Highlights;
  /** A search result: Enter on its link opens with the production check (PortalView). */
  fromSearch?: boolean;
}) {
  const { baseUrl, onOpenElsewhere, onDragMove } = context;
  const starred = context.starred.has(role.roleArn);
  const [menuOpen, setMenuOpen] = useState(false);
  const [dropTarget, setDropTarget] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const who = `${role.roleName} in ${role.accountAlias}`;
  const menuId = `menu-${role.roleArn.replace(/[^\w-]/g, "_")}`;
  const opened = (e: React.MouseEvent<HTMLAnchorElement>) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1) onOpenElsewhere();
  };
  const dnd = place !== undefined;
  return (
    <li
      data-testid="role-tile"
      data-role-arn={role.roleArn}
      draggable={dnd || undefined}
      onDragStart={dnd ? (e) => e.dataTransfer.setData(DRAG_TYPE, role.roleArn) : undefined}
      onDragOver={
        dnd
          ? (e) => {
              if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
              e.preventDefault();
              setDropTarget(true);
            }
          : undefined
      }
      onDragLeave={dnd ? () => setDropTarget(false) : undefined}
      onDrop={
        dnd
          ? (e) => {
              e.preventDefault();
              setDropTarget(false);
              const dragged = e.dataTransfer.getData(DRAG_TYPE);
              if (dragged && dragged !== role.roleArn) onDragMove(dragged, index);
            }
          : undefined
      }
      className={`portal-tile${role.color ? ` ${EDGE[role.color]}` : ""}${dropTarget ? " ring-2 ring-brand-600" : ""}`}
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
              aria-expanded={menuOpen}
              aria-controls={menuOpen ? menuId : undefined}
              aria-label={`Region and service for ${who}`}
              onClick={() => setMenuOpen((open) => !open)}
              className="portal-icon-button"
            >
              <span aria-hidden="true">Region ▾</span>
            </button>
            <FavouriteButton
              op={starred ? "unstar" : "star"}
              roleArn={role.roleArn}
              label={`Favourite ${who}`}
              focusKey="star"
              pressed={starred}
              className={starred ? "portal-icon-button portal-starred" : "portal-icon-button"}
            >
              {starred ? "★" : "☆"}
            </FavouriteButton>
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
        {role.access?.kind === "grant" && <GrantTimeLeft grant={role.access} who={who} />}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <a
          href={role.href}
          data-nav-link=""
          data-from-search={fromSearch ? "" : undefined}
          onClick={opened}
          onAuxClick={opened}
          className="portal-open"
          aria-label={`Open console as ${who}`}
        >
          Open console
        </a>
        <CopyButtonControl
          text={`${baseUrl}${role.href}`}
          label={`Copy link to ${who}`}
          idleText="Copy link"
          failedHint="Your browser refused the clipboard: copy the address of “Open console” instead."
          className="portal-secondary-button"
        />
        {place && (
          <span className="ml-auto flex gap-1">
            <FavouriteButton
              op="up"
              roleArn={role.roleArn}
              label={`Move ${who} up`}
              focusKey="up"
              inert={place === "first" || place === "only"}
            >
              ↑
            </FavouriteButton>
            <FavouriteButton
              op="down"
              roleArn={role.roleArn}
              label={`Move ${who} down`}
              focusKey="down"
              inert={place === "last" || place === "only"}
            >
              ↓
            </FavouriteButton>
          </span>
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
});
