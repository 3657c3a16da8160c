import type { ActionState } from "@/lib/admin/action-state";
import { FormMessage } from "../form-field";

/**
 * Why the mapping was not saved. After a conflict it also shows the mapping as stored now, to
 * compare with what the admin meant, and (when editing) a link to reload the current version.
 */
export function MappingFormError({
  state,
  editingId,
}: {
  state: Extract<ActionState, { status: "error" }>;
  editingId: string | undefined;
}) {
  return (
    <FormMessage kind="error" testId={state.conflict ? "conflict-message" : "form-error"}>
      <p className="font-medium">{state.message}</p>
      {state.current && (
        <div className="mt-3">
          <p className="mb-1">Stored now:</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            {Object.entries(state.current).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-red-900">{k}</dt>
                <dd className="break-all font-mono">{v}</dd>
              </div>
            ))}
          </dl>
          {editingId && (
            <a
              href={`/admin/mappings/${encodeURIComponent(editingId)}`}
              className="mt-3 inline-block font-medium underline"
            >
              Reload the current version
            </a>
          )}
        </div>
      )}
    </FormMessage>
  );
}
