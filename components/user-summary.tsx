import type { JetwaySession } from "@/lib/auth/session";

export function UserSummary({ session }: { session: JetwaySession }) {
  const { user, idp } = session;
  return (
    <section aria-labelledby="you" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="you" className="sr-only">
        Your account
      </h2>
      <dl className="grid gap-4 sm:grid-cols-3">
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Email</dt>
          <dd data-testid="user-email" className="mt-1 break-all text-slate-900">
            {user.email ?? user.nameId}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Signed in with</dt>
          <dd data-testid="user-idp" className="mt-1 text-slate-900">
            {idp.name}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Session ends</dt>
          <dd className="mt-1 text-slate-900">
            <time dateTime={session.expiresAt}>
              {new Date(session.expiresAt).toUTCString().replace(" GMT", " UTC")}
            </time>
          </dd>
        </div>
      </dl>
      <div className="mt-6">
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Your groups</h3>
        {user.groups.length === 0 ? (
          <p className="mt-2 text-slate-700">Your identity provider sent no groups.</p>
        ) : (
          <ul data-testid="user-groups" className="mt-2 flex flex-wrap gap-2">
            {user.groups.map((g) => (
              <li key={g} className="rounded-full bg-slate-100 px-3 py-1 font-mono text-sm text-slate-800">
                {g}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
