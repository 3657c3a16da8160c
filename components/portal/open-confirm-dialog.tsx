"use client";

import { useEffect, useRef } from "react";
import type { PortalRole } from "@/lib/portal/portal-role";
import { EnvironmentBadge } from "./environment-badge";

export interface PendingOpen {
  role: PortalRole;
  newTab: boolean;
}

/**
 * The one extra step before a production console opens from search with Enter (accounts[].confirmOpen):
 * a modal dialog whose "Open console" has the focus, so Enter again opens and Escape goes back to
 * the search. A click on the tile's own link opens at once.
 */
export function OpenConfirmDialog({
  pending,
  onConfirm,
  onClose,
}: {
  pending: PendingOpen | null;
  onConfirm: (pending: PendingOpen) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (pending && element && !element.open) element.showModal();
    if (!pending && element?.open) element.close();
  }, [pending]);
  const role = pending?.role;
  return (
    <dialog
      ref={dialog}
      aria-labelledby="confirm-open-title"
      aria-describedby="confirm-open-text"
      data-testid="confirm-open"
      onClose={onClose}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      {role && (
        <>
          <h2 id="confirm-open-title" className="mb-2 text-lg font-semibold">
            {role.environment
              ? `Open the ${role.environment} console as ${role.roleName}?`
              : `Open the console as ${role.roleName}?`}
          </h2>
          <p id="confirm-open-text" className="mb-5 text-slate-800">
            {role.roleName} in {role.accountAlias} <span className="font-mono text-sm">({role.accountId})</span>{" "}
            {role.environment && role.color && <EnvironmentBadge environment={role.environment} color={role.color} />}
            {pending?.newTab ? " opens in a new tab." : " opens in this tab."}
          </p>
          <form method="dialog" className="flex flex-wrap gap-3">
            <button
              type="button"
              // The dialog's purpose: Enter confirms, Escape cancels.
              autoFocus
              onClick={() => {
                if (pending) onConfirm(pending);
                dialog.current?.close();
              }}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
            >
              Open console
            </button>
            <button
              type="submit"
              className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
            >
              Cancel
            </button>
          </form>
        </>
      )}
    </dialog>
  );
}
