import type { Metadata } from "next";
import { CenteredCard } from "@/components/page-shell";

export const metadata: Metadata = { title: "Signed out" };

export default function SignedOutPage() {
  return (
    <CenteredCard title="You have signed out">
      <p className="mb-6 text-slate-700">
        Your Jetway session has ended. AWS console sessions you opened keep running until they expire or you sign out of
        them.
      </p>
      <a
        href="/login"
        className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
      >
        Sign in again
      </a>
    </CenteredCard>
  );
}
