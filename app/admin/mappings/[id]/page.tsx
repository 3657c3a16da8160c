import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminShell } from "@/components/admin/admin-shell";
import { DeleteForm } from "@/components/admin/delete-form";
import { MappingForm } from "@/components/admin/mapping-form";
import { findMapping } from "@/lib/admin/mappings/find-mapping";
import { loadMappingFormChoices } from "@/lib/admin/mappings/list-mapping-choices";
import { accessFormValues } from "@/lib/admin/mappings/access-input";
import { adminShellProps, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { accessSettingsFromRow } from "@/lib/access/access-settings";
import { formatDate } from "@/lib/format/date";
import { deleteMappingAction, previewMappingAction, updateMappingAction } from "../actions";

export const metadata: Metadata = { title: "Edit mapping" };
export const dynamic = "force-dynamic";

export default async function EditMappingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireAdminPage(`/admin/mappings/${encodeURIComponent(id)}`);
  const db = getDb();
  const mapping = await findMapping(db, id);
  if (!mapping) notFound();
  const { accounts, connections, sampleGroups } = await loadMappingFormChoices(db, mapping.group);
  return (
    <AdminShell
      section="mappings"
      title="Edit mapping"
      description={`Version ${mapping.version}, last changed ${formatDate(mapping.updatedAt, "minute", { utc: true })}.`}
      {...adminShellProps(actor)}
    >
      <MappingForm
        action={updateMappingAction}
        previewAction={previewMappingAction}
        editing={{ id: mapping.id, version: mapping.version }}
        initial={{
          kind: mapping.group !== null ? "group" : "pattern",
          group: mapping.group ?? "",
          groupPattern: mapping.groupPattern ?? "",
          roleArn: mapping.roleArn,
          idp: mapping.connectionId ?? "",
          label: mapping.label ?? "",
          sessionDuration: String(mapping.sessionDuration),
          ...accessFormValues(accessSettingsFromRow(mapping)),
        }}
        connections={connections}
        accounts={accounts}
        sampleGroups={sampleGroups}
        submitLabel="Save mapping"
      />
      <section
        aria-labelledby="danger"
        className="mt-8 max-w-2xl rounded-xl border border-red-200 bg-white p-6 shadow-sm"
      >
        <h2 id="danger" className="mb-3 text-lg font-semibold text-slate-900">
          Delete this mapping
        </h2>
        <DeleteForm
          action={deleteMappingAction}
          id={mapping.id}
          version={mapping.version}
          what="mapping"
          consequence="Members of the group lose this role at their next console sign-in; nobody is signed out of AWS sessions already open."
        />
      </section>
    </AdminShell>
  );
}
