import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { MappingForm } from "@/components/admin/mapping-form";
import { loadMappingFormChoices } from "@/lib/admin/mappings/list-mapping-choices";
import { accessFormValues } from "@/lib/admin/mappings/access-input";
import { adminShellProps, param, requireAdminPage } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";
import { STANDING } from "@/lib/access/access-settings";
import { createMappingAction, previewMappingAction } from "../actions";

export const metadata: Metadata = { title: "Add mapping" };
export const dynamic = "force-dynamic";

export default async function NewMappingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireAdminPage("/admin/mappings/new");
  const sp = await searchParams;
  const { accounts, connections, sampleGroups } = await loadMappingFormChoices(getDb());
  // ?account=<id> (from an account's page) starts the ARN in that account.
  const account = accounts.find((a) => a.id === param(sp.account));
  return (
    <AdminShell section="mappings" title="Add mapping" {...adminShellProps(actor)}>
      <MappingForm
        action={createMappingAction}
        previewAction={previewMappingAction}
        initial={{
          kind: "group",
          group: "",
          groupPattern: "",
          roleArn: account ? `arn:${account.partition}:iam::${account.id}:role/` : "",
          // With one IdP a new rule is scoped to it from the start, so adding a second IdP later needs no clean-up.
          idp: connections.length === 1 ? connections[0]!.id : "",
          label: "",
          sessionDuration: "3600",
          ...accessFormValues(STANDING),
        }}
        connections={connections}
        accounts={accounts}
        sampleGroups={sampleGroups}
        submitLabel="Add mapping"
      />
    </AdminShell>
  );
}
