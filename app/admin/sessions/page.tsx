import type { Metadata } from "next";
import Link from "next/link";
import { FilterActions } from "@/components/admin/filter-actions";
import { ActionButtonForm } from "@/components/admin/action-button-form";
import { AdminShell } from "@/components/admin/admin-shell";
import { DataTable } from "@/components/admin/data-table";
import { dangerButtonClass, FormField, inputClass, secondaryButtonClass } from "@/components/admin/form-field";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { listLiveSessions, LIVE_SESSIONS_LIMIT, type LiveSessionRow } from "@/lib/admin/sessions/list-live-sessions";
import { listSessionIdps } from "@/lib/admin/sessions/list-session-idps";
import { revokedNotice } from "@/lib/admin/sessions/revoke-sessions-as-admin";
import { parseSessionFilters } from "@/lib/admin/sessions/session-filters";
import { getJetwaySession } from "@/lib/auth/get-session";
import { SESSION_CACHE_MS } from "@/lib/auth/session-store";
import { getDb } from "@/lib/db";
import { revokeSessionsAction } from "./actions";
import { formatDate } from "@/lib/format/date";

export const metadata: Metadata = { title: "Sessions" };
export const dynamic = "force-dynamic";

/** How a person is named on the page and in the buttons' accessible names: email, or NameID without one. */
const personOf = (row: LiveSessionRow) => row.user.email ?? row.user.nameId;

/**
 * The name used in the revoke buttons. Two people (from different IdPs) may assert the same email:
 * then the IdP is added, so that neither a screen reader nor a test can pick the wrong one.
 */
function personLabels(rows: LiveSessionRow[]): Map<string, string> {
  const usersByName = new Map<string, Set<string>>();
  for (const r of rows) usersByName.set(personOf(r), (usersByName.get(personOf(r)) ?? new Set()).add(r.user.id));
  return new Map(
    rows.map((r) => [
      r.user.id,
      (usersByName.get(personOf(r))?.size ?? 0) > 1 ? `${personOf(r)} (${r.idp.name})` : personOf(r),
    ]),
  );
}

/** The CLI's own account of itself, e.g. "build-42 · alice · jetway 1.0.0": claims, shown as such. */
function cliClientText(row: LiveSessionRow): string {
  const { hostname, osUser, version } = row.client;
  return (
    [hostname, osUser, version ? `jetway ${version}` : undefined].filter(Boolean).join(" · ") || "No client details"
  );
}

function revokedCount(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

export default async function SessionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/sessions");
  const sp = await searchParams;
  const filters = parseSessionFilters(sp);
  const count = revokedCount(param(sp.revoked));
  const db = getDb();
  const now = new Date();
  const [{ rows, truncated }, idps, own] = await Promise.all([
    listLiveSessions(db, filters, now),
    listSessionIdps(db, now),
    getJetwaySession(),
  ]);
  const labels = personLabels(rows);
  const sessionsOf = new Map<string, number>();
  for (const r of rows) sessionsOf.set(r.user.id, (sessionsOf.get(r.user.id) ?? 0) + 1);
  const filtered = Boolean(filters.idp || filters.person);
  const back: Record<string, string> = {
    ...(filters.idp ? { idp: filters.idp } : {}),
    ...(filters.person ? { person: filters.person } : {}),
  };
  const shownUsers = new Set<string>();

  return (
    <AdminShell
      section="sessions"
      title="Sessions"
      description={`Who is signed in to Jetway, in a browser or on the command line (jetway login), through which identity provider, and since when. A revoked session ends at its next request, on every Jetway server within ${SESSION_CACHE_MS / 1000} seconds; console sessions and command-line credentials AWS already issued run until their own expiry.`}
      notice={count === undefined ? undefined : revokedNotice(count)}
      {...adminShellProps(actor)}
    >
      <div className="space-y-6">
        <section aria-labelledby="by-idp" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
          <h2 id="by-idp" className="mb-3 text-lg font-semibold text-slate-900">
            Sessions per IdP
          </h2>
          <ul className="divide-y divide-slate-100">
            {idps.map((idp) => (
              <li
                key={idp.id}
                className="flex flex-wrap items-center justify-between gap-3 py-3"
                data-testid="session-idp"
              >
                <p className="text-slate-900">
                  <Link
                    href={`/admin/idps/${encodeURIComponent(idp.id)}`}
                    className="font-medium text-brand-700 hover:underline"
                  >
                    {idp.name}
                  </Link>{" "}
                  <span className="text-slate-700">
                    · {idp.liveSessions} {idp.liveSessions === 1 ? "session" : "sessions"}
                    {idp.enabled ? "" : " · disabled"}
                  </span>
                </p>
                {idp.liveSessions > 0 && (
                  <ActionButtonForm
                    action={revokeSessionsAction}
                    fields={{ scope: "idp", connectionId: idp.id, ...back }}
                    label={`Revoke all sessions from ${idp.name}`}
                    pendingLabel="Revoking…"
                    className={dangerButtonClass}
                  />
                )}
              </li>
            ))}
          </ul>
        </section>

        <form
          method="get"
          aria-label="Filter the sessions"
          className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-3"
        >
          <FormField id="idp" label="Identity provider">
            <select id="idp" name="idp" defaultValue={filters.idp ?? ""} className={inputClass}>
              <option value="">All identity providers</option>
              {idps.map((idp) => (
                <option key={idp.id} value={idp.id}>
                  {idp.name}
                </option>
              ))}
            </select>
          </FormField>
          <FormField id="person" label="Person (email, name or NameID contains)">
            <input
              id="person"
              name="person"
              defaultValue={filters.person ?? ""}
              className={inputClass}
              autoComplete="off"
            />
          </FormField>
          <FilterActions clearHref="/admin/sessions" filtered={filtered} />
        </form>

        {rows.length === 0 ? (
          <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700" data-testid="no-sessions">
            {filtered ? "No live session matches these filters." : "Nobody is signed in."}
          </p>
        ) : (
          <DataTable caption="Live sessions, newest first" minWidth="min-w-[60rem]">
            <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  Person
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Identity provider
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Kind
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Signed in (UTC)
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Last seen (UTC)
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Expires (UTC)
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Revoke
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => {
                const label = labels.get(r.user.id) ?? personOf(r);
                // The person-wide button goes on their newest session's row only (rows are newest first).
                const firstOfPerson = !shownUsers.has(r.user.id);
                shownUsers.add(r.user.id);
                return (
                  <tr key={r.id} data-testid="session-row" className="align-top">
                    <td className="px-4 py-3">
                      <p className="font-medium text-slate-900">{r.user.displayName ?? personOf(r)}</p>
                      {r.user.displayName && <p className="break-all text-slate-700">{personOf(r)}</p>}
                      {r.id === own?.id && (
                        <p className="text-sm font-medium text-amber-900">Your session: revoking it signs you out.</p>
                      )}
                    </td>
                    <td className="px-4 py-3 text-slate-800">{r.idp.name}</td>
                    <td className="px-4 py-3 text-slate-800" data-testid="session-kind">
                      <p>{r.kind === "cli" ? "Command line" : "Browser"}</p>
                      {r.kind === "cli" && <p className="break-all text-sm text-slate-700">{cliClientText(r)}</p>}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 font-mono text-slate-800" id={`issued-${r.id}`}>
                      {formatDate(r.issuedAt)}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 font-mono text-slate-800">{formatDate(r.lastSeenAt)}</td>
                    <td className="whitespace-nowrap px-4 py-3 font-mono text-slate-800">{formatDate(r.expiresAt)}</td>
                    <td className="px-4 py-3">
                      <div className="flex flex-wrap gap-2">
                        <ActionButtonForm
                          action={revokeSessionsAction}
                          fields={{ scope: "session", sessionId: r.id, ...back }}
                          label="Revoke"
                          accessibleName={`Revoke session of ${label}`}
                          describedBy={`issued-${r.id}`}
                          pendingLabel="Revoking…"
                          className={secondaryButtonClass}
                        />
                        {firstOfPerson && (sessionsOf.get(r.user.id) ?? 0) > 1 && (
                          <ActionButtonForm
                            action={revokeSessionsAction}
                            fields={{ scope: "user", userId: r.user.id, ...back }}
                            label="Revoke all"
                            accessibleName={`Revoke all sessions of ${label}`}
                            pendingLabel="Revoking…"
                            className={dangerButtonClass}
                          />
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </DataTable>
        )}
        {truncated && (
          <p className="text-sm text-slate-700" role="status">
            Showing the newest {LIVE_SESSIONS_LIMIT} sessions: filter by identity provider or person to see others.
          </p>
        )}
      </div>
    </AdminShell>
  );
}
