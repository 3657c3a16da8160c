import { ActionButtonForm } from "@/components/admin/action-button-form";
import { dangerButtonClass, secondaryButtonClass } from "@/components/admin/form-field";
import type { ActionState } from "@/lib/admin/action-state";

/** Disable (ending its sessions) or enable a connection again. */
export function IdpEnabled({
  idp,
  action,
}: {
  idp: { id: string; version: number; enabled: boolean };
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  return (
    <section
      aria-labelledby="idp-enabled"
      className="max-w-2xl rounded-xl border border-red-200 bg-white p-6 shadow-sm"
    >
      <h2 id="idp-enabled" className="mb-2 text-lg font-semibold text-slate-900">
        {idp.enabled ? "Disable" : "Enable"} this identity provider
      </h2>
      <p className="mb-3 text-sm text-slate-700">
        {idp.enabled
          ? "Nobody can sign in through it while it is disabled, and every session opened through it ends at its next request (see Sessions)."
          : "People can sign in through it again."}
      </p>
      <ActionButtonForm
        action={action}
        fields={{ connectionId: idp.id, version: String(idp.version), enabled: idp.enabled ? "false" : "true" }}
        label={idp.enabled ? "Disable" : "Enable"}
        pendingLabel="Saving…"
        className={idp.enabled ? dangerButtonClass : secondaryButtonClass}
      />
    </section>
  );
}
