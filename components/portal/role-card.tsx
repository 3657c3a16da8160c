"use client";

import { memo, useRef, useState } from "react";
import type { FavouriteOp } from "@/lib/portal/favourite-order";
import { formatDuration } from "@/lib/format/duration";
import type { Highlights } from "@/lib/portal/match-roles";
import type { PortalRole } from "@/lib/portal/portal-role";
import { CopyButtonControl } from "../copy-button";
import { EDGE, EnvironmentBadge } from "./environment-badge";
import { GrantTimeLeft } from "./grant-time-left";
import { Highlighted } from "./highlighted";
import { TileMenu } from "./tile-menu";

/** Which of a tile's favourites buttons gets the focus back after a change (the tile may move to another section). */
export type FavouriteFocusKey = "star" | "up" | "down";

/** What every tile of the portal shares (stable between keystrokes). */
export interface CardContext {
  baseUrl: string;
  /** Role ARNs the person starred. */
  starred: ReadonlySet<string>;
  /** A console was opened in another tab: the portal refreshes its clocks when it is seen again. */
  onOpenElsewhere: () => void;
  /** A favourites button was pressed: star, unstar, up or down for this role. */
  onFavourite: (op: FavouriteOp, roleArn: string, focusKey: FavouriteFocusKey) => void;
  /** A favourite dropped on the place of the favourite at `to`. */
  onDragMove: (roleArn: string, to: number) => void;
  /** Says a tile's outcome ("Copied link to …") in the portal's one live region. */
  announce: (message: string) => void;
}

/** Where a favourite sits in the person's list, for its move buttons. */
export type FavouritePlace = "only" | "first" | "middle" | "last";

const DRAG_TYPE = "application/x-jetway-role";

/**
 * A favourites button. It needs JavaScript (like every button of a tile: the tiles are drawn inside
 * one HydratedFieldset, disabled until hydrated) and calls the portal's favourites action. No
 * `form` attribute pointing at a form further down: Chromium's parser resolves each such button's
 * form owner when the form arrives, which cost more than the rest of 500 tiles' parsing.
 */
function FavouriteButton({
  op,
  roleArn,
  label,
  focusKey,
  inert,
  pressed,
  className = "portal-icon-button",
  onFavourite,
  children,
}: {
  op: FavouriteOp;
  roleArn: string;
  label: string;
  focusKey: FavouriteFocusKey;
  /** At an end of the list: announced as unavailable, does nothing. */
  inert?: boolean;
  pressed?: boolean;
  className?: string;
  onFavourite: CardContext["onFavourite"];
  children: string;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      aria-pressed={pressed}
      aria-disabled={inert || undefined}
      onClick={inert ? undefined : () => onFavourite(op, roleArn, focusKey)}
      data-focus-key={focusKey}
      className={className}
    >
      {children}
    </button>
  );
}

/**
 * One role's tile: a plain link to /go (works without JavaScript), its environment badge, the
 * star, Copy link and the region/service panel; favourites also get move up/down buttons and can
 * be dragged onto another favourite's place. Its buttons need JavaScript: the tiles are drawn
 * inside one HydratedFieldset (PortalSections, SearchResults), which enables them all at once.
 *
 * A person may have 500 tiles, and the first render costs about as much per box as per byte: the
 * tile is a flat list of seven elements (the two top buttons placed by CSS, label and session
 * length in one paragraph), each with one or two component classes (globals.css). Under an account
 * heading the account's name and badges are on the heading, not repeated on each of its tiles;
 * its coloured edge stays.
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
  const { baseUrl, onOpenElsewhere, onFavourite, onDragMove, announce } = context;
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
  const session = `Session up to ${formatDuration(role.sessionDuration)}`;
  // Under an account heading, the heading carries the account's environment and partition badges.
  const environment = showAccount && role.environment && role.color ? role.color : null;
  const partition = showAccount && role.partitionLabel !== "AWS";
  const badges = partition || environment !== null;
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
      <p className="portal-tile-name">
        <Highlighted text={role.roleName} ranges={highlights?.roleName} />
      </p>
      <button
        ref={toggle}
        type="button"
        aria-expanded={menuOpen}
        aria-controls={menuOpen ? menuId : undefined}
        aria-label={`Region and service for ${who}`}
        onClick={() => setMenuOpen((open) => !open)}
        className="portal-tile-region"
      >
        Region ▾
      </button>
      <FavouriteButton
        op={starred ? "unstar" : "star"}
        roleArn={role.roleArn}
        label={`Favourite ${who}`}
        focusKey="star"
        pressed={starred}
        onFavourite={onFavourite}
        className={starred ? "portal-tile-star portal-starred" : "portal-tile-star"}
      >
        {starred ? "★" : "☆"}
      </FavouriteButton>
      <p className={role.access?.kind === "grant" ? "portal-tile-meta mb-0" : "portal-tile-meta"}>
        {showAccount && (
          <>
            <span className="text-slate-800">
              <Highlighted text={role.accountAlias} ranges={highlights?.accountAlias} />
            </span>{" "}
            <span className="font-mono text-xs">
              <Highlighted text={role.accountId} ranges={highlights?.accountId} />
            </span>
            {"\n"}
          </>
        )}
        {environment && role.environment && (
          <EnvironmentBadge environment={role.environment} color={environment} highlights={highlights?.environment} />
        )}
        {partition && <span className="portal-partition">{role.partitionLabel}</span>}
        {role.label && highlights?.label?.length ? (
          <>
            {badges && " "}
            <Highlighted text={role.label} ranges={highlights.label} />
            {`\n${session}`}
          </>
        ) : (
          // One text node in the common case (nothing highlighted): the badges' and label's line, then the session's.
          `${badges ? " " : ""}${role.label ?? ""}${role.label || badges ? "\n" : ""}${session}`
        )}
      </p>
      {role.access?.kind === "grant" && <GrantTimeLeft grant={role.access} who={who} />}
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
        announce={announce}
      />
      {place && (
        <span className="portal-tile-move">
          <FavouriteButton
            op="up"
            roleArn={role.roleArn}
            label={`Move ${who} up`}
            focusKey="up"
            inert={place === "first" || place === "only"}
            onFavourite={onFavourite}
          >
            ↑
          </FavouriteButton>
          <FavouriteButton
            op="down"
            roleArn={role.roleArn}
            label={`Move ${who} down`}
            focusKey="down"
            inert={place === "last" || place === "only"}
            onFavourite={onFavourite}
          >
            ↓
          </FavouriteButton>
        </span>
      )}
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
