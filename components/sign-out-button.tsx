"use client";

import { signOut } from "next-auth/react";
import { useEffect, useState } from "react";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  // Disabled until hydrated: a click on the server-rendered button before the script has attached
  // its handler would silently do nothing (slow networks; the e2e run on a busy machine).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
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
