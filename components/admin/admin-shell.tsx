import Link from "next/link";
import { JetwayLogo } from "@/components/jetway-logo";
import { SignOutButton } from "@/components/sign-out-button";
import { FormMessage } from "./form-field";

export type AdminSection =
  | "overview"
  | "mappings"
  | "simulator"
  | "access"
  | "accounts"
  | "idps"
  | "sessions"
  | "audit"
  | "audit-delivery"
  | "config";

const SECTIONS: { id: AdminSection; href: string; label: string }[] = [
  { id: "overview", href: "/admin", label: "Overview" },
  { id: "mappings", href: "/admin/mappings", label: "Mappings" },
  { id: "simulator", href: "/admin/simulator", label: "Access simulator" },
  { id: "access", href: "/admin/access", label: "Access grants" },
  { id: "accounts", href: "/admin/accounts", label: "Accounts" },
  { id: "idps", href: "/admin/idps", label: "Identity providers" },
  { id: "sessions", href: "/admin/sessions", label: "Sessions" },
  { id: "audit", href: "/admin/audit", label: "Audit log" },
  { id: "audit-delivery", href: "/admin/audit-delivery", label: "Audit delivery" },
  { id: "config", href: "/admin/config", label: "Config as code" },
];

/** The admin console's frame: Jetway header, section navigation, the page's title. */
export function AdminShell({
  section,
  title,
  description,
  actorName,
  configFile,
  actions,
  notice,
  children,
}: {
  section: AdminSection;
  title: string;
  description?: React.ReactNode;
  actorName: string;
  /** JETWAY_CONFIG, when set: it is applied again at every start. */
  configFile?: string;
  actions?: React.ReactNode;
  /** A success message after a change (e.g. "Mapping added."), shown above the page's content. */
  notice?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <div className="flex items-center gap-3">
            <JetwayLogo />
            <span className="rounded bg-slate-800 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide text-white">
              Admin
            </span>
          </div>
          <div className="flex items-center gap-3">
            <Link href="/" className="text-sm font-medium text-brand-700 hover:underline">
              Your roles
            </Link>
            <span className="hidden text-sm text-slate-700 md:inline" data-testid="admin-actor">
              {actorName}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
        <nav aria-label="Admin sections" className="relative -mx-4 mb-6 overflow-x-auto px-4 sm:mx-0 sm:px-0">
          <ul className="flex min-w-max gap-1 border-b border-slate-200">
            {SECTIONS.map((s) => {
              const current = s.id === section;
              return (
                <li key={s.id}>
                  <Link
                    href={s.href}
                    aria-current={current ? "page" : undefined}
                    className={`-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                      current
                        ? "border-brand-600 text-brand-700"
                        : "border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900"
                    }`}
                  >
                    {s.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        {configFile && (
          <p
            className="mb-6 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950"
            data-testid="config-file-notice"
          >
            Jetway applies <code className="font-mono">{configFile}</code> at every start, and the file replaces what is
            changed here.{" "}
            <Link href="/admin/config" className="font-medium underline">
              Export the configuration
            </Link>{" "}
            into that file to keep changes.
          </p>
        )}
        <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
            {description && <p className="mt-1 max-w-3xl text-slate-700">{description}</p>}
          </div>
          {actions}
        </div>
        {notice && (
          <div className="mb-4">
            <FormMessage kind="success" testId="notice">
              {notice}
            </FormMessage>
          </div>
        )}
        {children}
      </main>
    </div>
  );
}
