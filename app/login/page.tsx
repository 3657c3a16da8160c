import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CenteredCard } from "@/components/page-shell";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { safeNextPath } from "@/lib/http/safe-next";
import { listSignInConnections } from "@/lib/saml/list-connections";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

function startHref(idp: string, next: string | undefined): string {
  const query = new URLSearchParams({ idp });
  if (next) query.set("next", next);
  return `/login/start?${query}`;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const next = safeNextPath(first(params.next), getEnv().JETWAY_BASE_URL);
  const idp = first(params.idp);
  const connections = await listSignInConnections(getDb());

  if (idp) redirect(startHref(idp, next));
  if (connections.length === 1 && connections[0]) redirect(startHref(connections[0].id, next));

  return (
    <CenteredCard title="Sign in to AWS">
      {connections.length === 0 ? (
        <p className="text-slate-700">
          No identity provider is configured yet. An administrator needs to add one (see <code>JETWAY_CONFIG</code> in
          the README).
        </p>
      ) : (
        <>
          <p className="mb-4 text-slate-700">Choose how your company signs you in.</p>
          <ul className="space-y-2" aria-label="Identity providers">
            {connections.map((c) => (
              <li key={c.id}>
                <a
                  href={startHref(c.id, next)}
                  className="block rounded-lg border border-slate-300 px-4 py-3 font-medium text-brand-700 hover:border-brand-600 hover:bg-brand-50"
                >
                  {c.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </CenteredCard>
  );
}
