import Link from "next/link";
import { CenteredCard } from "@/components/page-shell";

/** What a signed-in non-admin sees on any admin page (status 403, from requireAdminPage). */
export default function AdminForbidden() {
  return (
    <CenteredCard title="Administrators only">
      <p className="mb-4 text-slate-700" data-testid="admin-forbidden">
        This part of Jetway is for administrators. None of your groups is an admin group.
      </p>
      <p className="mb-6 text-slate-700">
        If you need to manage Jetway, ask an administrator to add you to an admin group in your identity provider.
      </p>
      <Link href="/" className="font-medium text-brand-700 underline">
        Back to your roles
      </Link>
    </CenteredCard>
  );
}
