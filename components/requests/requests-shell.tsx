import Link from "next/link";
import { PageShell } from "../page-shell";
import { SignOutButton } from "../sign-out-button";

const link = "text-sm font-medium text-brand-700 hover:underline";

/** The frame of the request pages: back to the roles, the approvers' queue, the admin console, sign out. */
export function RequestsShell({
  showRequests,
  isAdmin,
  current,
  children,
}: {
  /** The viewer approves something (or is an admin): the queue's link. */
  showRequests: boolean;
  isAdmin: boolean;
  /** The page shown, so that its own link is marked. */
  current?: "requests";
  children: React.ReactNode;
}) {
  return (
    <PageShell
      actions={
        <nav aria-label="Jetway" className="flex flex-wrap items-center justify-end gap-x-4 gap-y-2">
          <Link href="/" className={link}>
            Your roles
          </Link>
          {showRequests && (
            <Link href="/requests" className={link} aria-current={current === "requests" ? "page" : undefined}>
              Requests
            </Link>
          )}
          {isAdmin && (
            <Link href="/admin" className={link}>
              Admin console
            </Link>
          )}
          <SignOutButton />
        </nav>
      }
    >
      {children}
    </PageShell>
  );
}
