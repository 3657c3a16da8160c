import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { ConfigImport } from "@/components/admin/config-import";
import { buttonClass } from "@/components/admin/form-field";
import { adminShellProps, requireAdminPage } from "@/lib/admin/require-admin";
import { configToYaml, exportConfig } from "@/lib/config/export-config";
import { getDb } from "@/lib/db";
import { applyImportAction, dryRunImportAction } from "./actions";

export const metadata: Metadata = { title: "Config as code" };
export const dynamic = "force-dynamic";

export default async function ConfigPage() {
  const actor = await requireAdminPage("/admin/config");
  const { config } = await exportConfig(getDb());
  const yaml = configToYaml(config, "Jetway configuration (JETWAY_CONFIG)");
  const counts = `${config.identityProviders.length} identity provider(s), ${config.accounts.length} account(s), ${config.mappings.length} mapping(s), ${config.admins.groups.length} admin group(s)`;
  return (
    <AdminShell
      section="config"
      title="Config as code"
      description="The whole configuration in the JETWAY_CONFIG format: export it to review or commit it, import one to apply it (with a dry run first)."
      {...adminShellProps(actor)}
    >
      <div className="grid gap-6 xl:grid-cols-2">
        <section
          aria-labelledby="export-heading"
          className="min-w-0 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
        >
          <h2 id="export-heading" className="mb-1 text-lg font-semibold text-slate-900">
            Export
          </h2>
          <p className="mb-4 text-sm text-slate-700">{counts}.</p>
          <a href="/admin/config/export" className={buttonClass} data-testid="config-export" download>
            Download jetway.config.yaml
          </a>
          <details className="mt-4">
            <summary className="cursor-pointer text-sm font-medium text-brand-700">Show the YAML</summary>
            <pre
              className="mt-2 max-h-[32rem] overflow-auto rounded-lg bg-slate-900 p-4 text-xs text-slate-100"
              data-testid="config-yaml"
            >
              {yaml}
            </pre>
          </details>
        </section>
        <section
          aria-labelledby="import-heading"
          className="min-w-0 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
        >
          <h2 id="import-heading" className="mb-1 text-lg font-semibold text-slate-900">
            Import
          </h2>
          <p className="mb-4 text-sm text-slate-700">
            The imported file becomes the whole configuration: what it does not list is removed. Metadata must be inline
            (<code>metadataXml</code>) or a <code>metadataUrl</code>.
          </p>
          <ConfigImport dryRunAction={dryRunImportAction} applyAction={applyImportAction} />
        </section>
      </div>
    </AdminShell>
  );
}
