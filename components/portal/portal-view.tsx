"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { orderByFavourites, type FavouriteOp, type FavouritesState } from "@/lib/portal/favourite-order";
import { matchRoles } from "@/lib/portal/match-roles";
import type { PortalRole } from "@/lib/portal/portal-role";
import { unpackPortalRoles, type PackedPortalRoles } from "@/lib/portal/portal-roles-wire";
import type { RecentRole } from "@/lib/portal/recent-roles";
import { AdminContact } from "./admin-contact";
import { useNow } from "./clock-time";
import { OpenConfirmDialog, type PendingOpen } from "./open-confirm-dialog";
import { PortalSections, SearchResults, type CardContext } from "./portal-sections";
import type { FavouriteFocusKey } from "./role-card";

/** Results drawn at most per keystroke; more matches ask for another word. */
const RESULTS_SHOWN = 60;

function isEditable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable='true']") !== null;
}

/** The visible "Open console" links in `root`, in page order: what the arrow keys move through. */
function navLinks(root: HTMLElement | null): HTMLAnchorElement[] {
  if (!root) return [];
  return [...root.querySelectorAll<HTMLAnchorElement>("a[data-nav-link]")].filter(
    (a) => a.closest("[hidden]") === null,
  );
}

/**
 * The portal once signed in with roles: search (with `/`, arrows, Enter and Ctrl/Cmd+Enter),
 * recents, favourites and every role by account. Tiles are plain links and the search box is a
 * GET form, so the core path works without JavaScript; favourites post to a server action.
 */
export function PortalView({
  roles: packedRoles,
  favourites: loadedFavourites,
  recents,
  loadedAt,
  baseUrl,
  initialQuery,
  adminContact,
  favouriteAction,
}: {
  /** Every role the session may open (packed: each account's fields once). */
  roles: PackedPortalRoles;
  favourites: string[];
  recents: RecentRole[];
  /** When the server read the data (epoch ms): favourites answered after it win. */
  loadedAt: number;
  baseUrl: string;
  /** `/?q=`: a search made without JavaScript. */
  initialQuery: string;
  adminContact: string | null;
  /** The server action that stars, unstars and moves favourites (app/actions.ts). */
  favouriteAction: (state: FavouritesState, formData: FormData) => Promise<FavouritesState>;
}) {
  const router = useRouter();
  const now = useNow(loadedAt);
  const [state, dispatch, pending] = useActionState<FavouritesState, FormData>(favouriteAction, {
    favourites: loadedFavourites,
    at: loadedAt,
  });
  const favourites = state.at > loadedAt ? state.favourites : loadedFavourites;
  const [query, setQuery] = useState(initialQuery);
  const [pendingOpen, setPendingOpen] = useState<PendingOpen | null>(null);
  /** What the tiles' live region says ("Copied link to …"). */
  const [announcement, setAnnouncement] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const results = useRef<HTMLDivElement>(null);
  const sections = useRef<HTMLDivElement>(null);
  const openedElsewhere = useRef(false);
  /** [role ARN, which button] to focus once a favourites change is drawn. */
  const focusAfterChange = useRef<[string, FavouriteFocusKey] | null>(null);

  const roles = useMemo(() => unpackPortalRoles(packedRoles), [packedRoles]);
  const byArn = useMemo(() => new Map(roles.map((r) => [r.roleArn, r])), [roles]);
  const { favourites: favouriteRoles, others } = useMemo(
    () => orderByFavourites(roles, favourites),
    [roles, favourites],
  );
  const accounts = useMemo(() => {
    const groups = new Map<string, PortalRole[]>();
    for (const role of others) groups.set(role.accountId, [...(groups.get(role.accountId) ?? []), role]);
    return [...groups.values()];
  }, [others]);
  const starred = useMemo(() => new Set(favourites), [favourites]);
  const boost = useMemo(() => {
    const rank = new Map<string, number>();
    recents.forEach((r, i) => rank.set(r.roleArn, 100 - i));
    favourites.forEach((arn, i) => rank.set(arn, 1000 - i));
    return (role: PortalRole) => rank.get(role.roleArn) ?? 0;
  }, [favourites, recents]);
  const searching = query.trim() !== "";
  const matches = useMemo(() => matchRoles(roles, query, boost), [roles, query, boost]);

  // A character typed before hydration is in the box but not in state.
  useEffect(() => {
    if (input.current && input.current.value !== query) setQuery(input.current.value);
    // Only once, on mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // "/" anywhere (outside a field) focuses the search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  // Back from a console opened in another tab (or from the back/forward cache): fresh clocks and recents.
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState !== "visible" || !openedElsewhere.current) return;
      openedElsewhere.current = false;
      router.refresh();
    };
    const onPageShow = (e: PageTransitionEvent) => e.persisted && router.refresh();
    document.addEventListener("visibilitychange", refresh);
    window.addEventListener("focus", refresh);
    window.addEventListener("pageshow", onPageShow);
    return () => {
      document.removeEventListener("visibilitychange", refresh);
      window.removeEventListener("focus", refresh);
      window.removeEventListener("pageshow", onPageShow);
    };
  }, [router]);

  // A starred tile moves between sections: keep the keyboard where it was.
  useEffect(() => {
    const key = focusAfterChange.current;
    if (!key || pending) return;
    focusAfterChange.current = null;
    const [roleArn, button] = key;
    const tiles = document.querySelectorAll<HTMLElement>(`li[data-role-arn="${CSS.escape(roleArn)}"]`);
    const tile = [...tiles].find((t) => t.closest("[hidden]") === null);
    tile?.querySelector<HTMLElement>(`[data-focus-key="${button}"]`)?.focus();
  }, [favourites, pending]);

  const go = useCallback((href: string, newTab: boolean) => {
    if (newTab) {
      openedElsewhere.current = true;
      window.open(href, "_blank", "noopener");
    } else {
      window.location.assign(href);
    }
  }, []);

  const open = useCallback(
    (role: PortalRole, newTab: boolean) => {
      if (role.confirmOpen) setPendingOpen({ role, newTab });
      else go(role.href, newTab);
    },
    [go],
  );

  // A star or move button: the change goes to the server action; the focus follows the tile if it moves.
  const changeFavourite = useCallback(
    (op: FavouriteOp, roleArn: string, focusKey: FavouriteFocusKey) => {
      focusAfterChange.current = [roleArn, focusKey];
      const formData = new FormData();
      formData.set("op", op);
      formData.set("roleArn", roleArn);
      startTransition(() => dispatch(formData));
    },
    [dispatch],
  );

  const dragMove = useCallback(
    (roleArn: string, to: number) => {
      const formData = new FormData();
      formData.set("op", "move");
      formData.set("roleArn", roleArn);
      formData.set("to", String(to));
      startTransition(() => dispatch(formData));
    },
    [dispatch],
  );

  const onSearchKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      navLinks(searching ? results.current : sections.current)[0]?.focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      const first = matches[0];
      if (searching && first) open(first.role, e.ctrlKey || e.metaKey);
    } else if (e.key === "Escape" && e.currentTarget.value) {
      e.preventDefault();
      e.currentTarget.value = "";
      setQuery("");
    }
  };

  const onListKey = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const link = e.target instanceof HTMLAnchorElement && e.target.hasAttribute("data-nav-link") ? e.target : null;
    if (!link) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const links = navLinks(e.currentTarget);
      const at = links.indexOf(link);
      const next = links[at + (e.key === "ArrowDown" ? 1 : -1)];
      if (next) next.focus();
      else if (e.key === "ArrowUp") input.current?.focus();
    } else if (e.key === "Enter") {
      const role = byArn.get(link.closest<HTMLElement>("li[data-role-arn]")?.dataset.roleArn ?? "");
      if (!role) return;
      const newTab = e.ctrlKey || e.metaKey;
      if (link.hasAttribute("data-from-search") || newTab) {
        e.preventDefault();
        if (link.hasAttribute("data-from-search")) open(role, newTab);
        else go(role.href, true);
      }
    }
  };

  const onOpenElsewhere = useCallback(() => {
    openedElsewhere.current = true;
  }, []);
  // The same words twice in a row are said again: emptied first, then set in the next frame.
  const announce = useCallback((message: string) => {
    setAnnouncement("");
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);
  // What every tile shares; stable between keystrokes, so the 500 tiles below the search are not drawn again.
  const cards = useMemo<CardContext>(
    () => ({ baseUrl, starred, onOpenElsewhere, onFavourite: changeFavourite, onDragMove: dragMove, announce }),
    [baseUrl, starred, onOpenElsewhere, changeFavourite, dragMove, announce],
  );

  return (
    <div>
      <form role="search" action="/" method="get" className="mb-6" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="role-search" className="mb-1 block text-sm font-medium text-slate-800">
          Search roles
        </label>
        <input
          ref={input}
          id="role-search"
          name="q"
          type="search"
          defaultValue={initialQuery}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
          placeholder="Account, alias, role or label"
          autoComplete="off"
          spellCheck={false}
          aria-describedby="role-search-hint"
          aria-keyshortcuts="/"
          className="w-full max-w-xl rounded-md border border-slate-400 bg-white px-3 py-2 text-slate-900 placeholder:text-slate-600"
        />
        <p id="role-search-hint" className="mt-1 text-xs text-slate-600">
          Press <kbd className="rounded border border-slate-300 bg-white px-1 font-mono">/</kbd> to search,{" "}
          <kbd className="rounded border border-slate-300 bg-white px-1 font-mono">↓</kbd>{" "}
          <kbd className="rounded border border-slate-300 bg-white px-1 font-mono">↑</kbd> to move,{" "}
          <kbd className="rounded border border-slate-300 bg-white px-1 font-mono">Enter</kbd> to open the first or
          chosen role, with Ctrl or <span aria-label="Command">⌘</span> in a new tab.
        </p>
      </form>
      {state.error && state.at > loadedAt && (
        <p role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          {state.error}
        </p>
      )}
      {/* Polite count for screen readers; the list itself is not re-announced on every keystroke. */}
      <p role="status" className="sr-only">
        {searching ? `${matches.length} ${matches.length === 1 ? "role matches" : "roles match"}` : ""}
      </p>

      <div ref={results} hidden={!searching} onKeyDown={onListKey}>
        {searching && (
          <section aria-labelledby="results-heading" data-testid="search-results">
            <h2 id="results-heading" className="sr-only">
              Search results
            </h2>
            {matches.length === 0 ? (
              <p data-testid="no-results" className="rounded-xl border border-slate-200 bg-white p-4 text-slate-800">
                No role matches “{query.trim()}”. Jetway searches account aliases and ids, role names, labels and
                environments. If you need a role that is not here, ask <AdminContact contact={adminContact} /> for
                access.
              </p>
            ) : (
              <>
                <SearchResults matches={matches} limit={RESULTS_SHOWN} cards={cards} />
                {matches.length > RESULTS_SHOWN && (
                  <p className="mt-3 text-sm text-slate-700">
                    Showing {RESULTS_SHOWN} of {matches.length} matches: add a word to narrow them.
                  </p>
                )}
              </>
            )}
          </section>
        )}
      </div>

      <div ref={sections} hidden={searching} onKeyDown={onListKey}>
        <PortalSections
          recents={recents}
          favouriteRoles={favouriteRoles}
          accounts={accounts}
          byArn={byArn}
          now={now}
          pending={pending}
          cards={cards}
          onOpenElsewhere={onOpenElsewhere}
        />
      </div>

      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>

      <OpenConfirmDialog
        pending={pendingOpen}
        onConfirm={(p) => go(p.role.href, p.newTab)}
        onClose={() => {
          setPendingOpen(null);
          input.current?.focus();
        }}
      />
    </div>
  );
}
