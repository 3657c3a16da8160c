import { redirect } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { SignOutButton } from "@/components/sign-out-button";
import { UserSummary } from "@/components/user-summary";
import { getJetwaySession } from "@/lib/auth/get-session";

export const dynamic = "force-dynamic";

export default async function PortalPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await getJetwaySession();
  if (!session) {
    const query = new URLSearchParams(
      Object.entries(await searchParams).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v ? [[k, v]] : [])),
    ).toString();
    redirect(`/login?next=${encodeURIComponent(query ? `/?${query}` : "/")}`);
  }
  return (
    <PageShell actions={<SignOutButton />}>
      <h1 data-testid="user-name" className="mb-6 text-2xl font-semibold text-slate-900">
        {session.user.name ?? session.user.email ?? session.user.nameId}
      </h1>
      <UserSummary session={session} />
    </PageShell>
  );
}
