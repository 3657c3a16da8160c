"use client";

import { memo } from "react";
import type { RoleMatch } from "@/lib/portal/match-roles";
import type { PortalRole } from "@/lib/portal/portal-role";
import type { RecentRole } from "@/lib/portal/recent-roles";
import { HydratedFieldset } from "../hydrated-fieldset";
import { ClockTime } from "./clock-time";
import { EnvironmentBadge } from "./environment-badge";
import { PortalTile } from "./portal-tile";
import type { CardContext, FavouritePlace } from "./role-card";

export type { CardContext };

const grid = "grid gap-3 sm:grid-cols-2 lg:grid-cols-3";

function placeOf(index: number, count: number): FavouritePlace {
  if (count === 1) return "only";
  return index === 0 ? "first" : index === count - 1 ? "last" : "middle";
}

/** The ranked results of a search (at most `limit` drawn). */
export const SearchResults = memo(function SearchResults({
  matches,
  limit,
  cards,
}: {
  matches: RoleMatch<PortalRole>[];
  limit: number;
  cards: CardContext;
}) {
  return (
    <HydratedFieldset>
      <ul className={grid}>
        {matches.slice(0, limit).map((m) => (
          <PortalTile
            key={m.role.roleArn}
            role={m.role}
            context={cards}
            showAccount
            highlights={m.highlights}
            fromSearch
          />
        ))}
      </ul>
    </HydratedFieldset>
  );
});

/**
 * Recent roles, favourites and every other role by account: what the portal shows while the
 * search box is empty. Memoized: a keystroke in search does not draw it again.
 */
export const PortalSections = memo(function PortalSections({
  recents,
  favouriteRoles,
  accounts,
  byArn,
  now,
  pending,
  cards,
  onOpenElsewhere,
}: {
  recents: RecentRole[];
  favouriteRoles: PortalRole[];
  accounts: PortalRole[][];
  byArn: Map<string, PortalRole>;
  now: number;
  pending: boolean;
  cards: CardContext;
  onOpenElsewhere: () => void;
}) {
  return (
    <HydratedFieldset className="space-y-8">
      {recents.length > 0 && (
        <section aria-labelledby="recents-heading">
          <h2 id="recents-heading" className="mb-3 text-lg font-semibold text-slate-900">
            Recent
          </h2>
          <ol className="flex flex-wrap gap-2" data-testid="recents">
            {recents.flatMap((recent) => {
              const role = byArn.get(recent.roleArn);
              if (!role) return [];
              const running = recent.consoleEndsAt && Date.parse(recent.consoleEndsAt) > now;
              return [
                <li key={recent.roleArn} data-testid="recent-role" data-role-arn={recent.roleArn}>
                  <a
                    href={role.href}
                    data-nav-link=""
                    onClick={(e) => (e.ctrlKey || e.metaKey || e.shiftKey) && onOpenElsewhere()}
                    className="inline-flex flex-col rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm hover:border-brand-600 hover:bg-brand-50"
                  >
                    <span className="font-semibold text-slate-900">
                      <span className="sr-only">Open console as </span>
                      {role.roleName} <span className="font-normal text-slate-700">in {role.accountAlias}</span>
                    </span>
                    {running && recent.consoleEndsAt && (
                      <span className="text-xs text-slate-700" data-testid="console-ends">
                        Console until <ClockTime iso={recent.consoleEndsAt} now={now} />
                      </span>
                    )}
                  </a>
                </li>,
              ];
            })}
          </ol>
        </section>
      )}

      {favouriteRoles.length > 0 && (
        <section aria-labelledby="favourites-heading" data-testid="favourites">
          <h2 id="favourites-heading" className="mb-3 text-lg font-semibold text-slate-900">
            Favourites
          </h2>
          <ul className={grid} aria-busy={pending}>
            {favouriteRoles.map((role, index) => (
              <PortalTile
                key={role.roleArn}
                role={role}
                context={cards}
                showAccount
                index={index}
                place={placeOf(index, favouriteRoles.length)}
              />
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading" className="mb-3 text-lg font-semibold text-slate-900">
          {favouriteRoles.length > 0 ? "All other roles" : "All roles"}
        </h2>
        {accounts.length === 0 ? (
          <p className="text-slate-700">Every role you have is in your favourites.</p>
        ) : (
          <div className="space-y-6">
            {accounts.map((accountRoles) => {
              const first = accountRoles[0]!;
              return (
                <section
                  key={first.accountId}
                  aria-labelledby={`account-${first.accountId}`}
                  data-testid="account-group"
                  className="portal-account-group"
                  // Its height before it is first drawn (globals.css): the rows its tiles make.
                  style={{ "--tiles": accountRoles.length } as React.CSSProperties}
                >
                  <h3
                    id={`account-${first.accountId}`}
                    className="mb-3 flex flex-wrap items-baseline gap-x-3 text-base font-semibold text-slate-900"
                  >
                    {first.accountAlias}
                    <span className="font-mono text-sm font-normal text-slate-600">{first.accountId}</span>
                    {first.environment && first.color && (
                      <EnvironmentBadge environment={first.environment} color={first.color} />
                    )}
                    {first.partitionLabel !== "AWS" && (
                      <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                        {first.partitionLabel}
                      </span>
                    )}
                  </h3>
                  <ul className={grid}>
                    {accountRoles.map((role) => (
                      <PortalTile key={role.roleArn} role={role} context={cards} showAccount={false} />
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        )}
      </section>
    </HydratedFieldset>
  );
});
