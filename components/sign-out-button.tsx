"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

import { useHydrated } from "./use-hydrated";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  // Disabled until hydrated: a click on the server-rendered button would otherwise do nothing.
  const ready = useHydrated();
  return (
    <button
      type="button"
      disabled={pending || !ready}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/signed-out" });
      }}
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-60"
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
