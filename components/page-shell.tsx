import { JetwayLogo } from "./jetway-logo";

export function PageShell({
  children,
  actions,
  wide = false,
}: {
  children: React.ReactNode;
  actions?: React.ReactNode;
  /** A wider page (the portal's three columns of tiles on a laptop). */
  wide?: boolean;
}) {
  const width = wide ? "max-w-6xl" : "max-w-5xl";
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className={`mx-auto flex ${width} items-center justify-between gap-4 px-4 py-3 sm:px-6`}>
          <JetwayLogo />
          {actions}
        </div>
      </header>
      <main id="main" className={`mx-auto ${width} px-4 py-8 sm:px-6`}>
        {children}
      </main>
    </div>
  );
}

export function CenteredCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <JetwayLogo className="mb-6 text-lg" />
        <h1 className="mb-4 text-xl font-semibold text-slate-900">{title}</h1>
        {children}
      </div>
    </main>
  );
}
