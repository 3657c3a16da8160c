"use client";

import { useMemo, useState } from "react";

import { formatDuration } from "@/lib/format/duration";

import { CopyButton } from "./copy-button";
import { useHydrated } from "./use-hydrated";

export interface RoleTile {
  accountId: string;
  accountAlias: string;
  partitionLabel: string;
  roleName: string;
  label: string | null;
  sessionDuration: number;
  /** Relative deep link: /go/{alias}/{role}. */
  href: string;
  /** The same deep link, absolute (on JETWAY_BASE_URL): what "Copy link" copies. */
  link: string;
}

export function RoleTiles({ tiles }: { tiles: RoleTile[] }) {
  const hydrated = useHydrated();
  const [filter, setFilter] = useState("");
  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!q) return tiles;
    return tiles.filter((t) =>
      [t.accountAlias, t.accountId, t.roleName, t.label ?? ""].some((field) => field.toLowerCase().includes(q)),
    );
  }, [tiles, filter]);
  const accounts = useMemo(() => {
    const groups = new Map<string, RoleTile[]>();
    for (const tile of visible) groups.set(tile.accountId, [...(groups.get(tile.accountId) ?? []), tile]);
    return [...groups.values()];
  }, [visible]);

  return (
    <div>
      <div className="mb-6">
        <label htmlFor="role-filter" className="mb-1 block text-sm font-medium text-slate-700">
          Filter roles
        </label>
        <input
          id="role-filter"
          type="search"
          disabled={!hydrated}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Account, alias or role"
          autoComplete="off"
          className="w-full max-w-md rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 placeholder:text-slate-500"
        />
      </div>
      {accounts.length === 0 ? (
        <p className="text-slate-700">No role matches “{filter}”.</p>
      ) : (
        <div className="space-y-6">
          {accounts.map((roles) => {
            const first = roles[0]!;
            return (
              <section key={first.accountId} aria-labelledby={`account-${first.accountId}`} data-testid="account-group">
                <h2
                  id={`account-${first.accountId}`}
                  className="mb-3 flex flex-wrap items-baseline gap-x-3 text-lg font-semibold text-slate-900"
                >
                  {first.accountAlias}
                  <span className="font-mono text-sm font-normal text-slate-600">{first.accountId}</span>
                  {first.partitionLabel !== "AWS" && (
                    <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                      {first.partitionLabel}
                    </span>
                  )}
                </h2>
                <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                  {roles.map((tile) => (
                    <li
                      key={tile.href}
                      data-testid="role-tile"
                      className="flex flex-col justify-between rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
                    >
                      <div className="mb-4">
                        <p className="font-semibold text-slate-900">{tile.roleName}</p>
                        {tile.label && <p className="text-sm text-slate-700">{tile.label}</p>}
                        <p className="mt-1 text-xs text-slate-600">
                          Session up to {formatDuration(tile.sessionDuration)}
                        </p>
                      </div>
                      <div className="flex flex-wrap gap-2">
                        <a
                          href={tile.href}
                          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
                          aria-label={`Open console as ${tile.roleName} in ${tile.accountAlias}`}
                        >
                          Open console
                        </a>
                        <CopyButton
                          text={tile.link}
                          label={`Copy link to ${tile.roleName} in ${tile.accountAlias}`}
                          idleText="Copy link"
                          failedHint="Your browser refused the clipboard: copy the address of “Open console” instead."
                        />
                      </div>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}
