import { headers } from "next/headers";
import { redirect, unauthorized } from "next/navigation";
import type { JetwaySession } from "@/lib/auth/session";
import { checkAdmin } from "@/lib/admin/check-admin";
import { getJetwaySession } from "@/lib/auth/get-session";
import { getDb } from "@/lib/db";
import { clientInfo } from "@/lib/http/client-info";
import { accessActorFromSession, type AccessActor } from "./access-actor";
import { listApprovableMappingIds } from "./ui-approver-scope";

/** Who looks at the request pages, or acts on them: the session, as an access actor, and what they may approve. */
export interface RequestsViewer {
  session: JetwaySession;
  actor: AccessActor;
  /** The eligible mappings whose requests this person may decide (approver groups, live from the session). */
  approvable: Set<string>;
}

async function currentViewer(): Promise<RequestsViewer | null> {
  const h = await headers();
  const session = await getJetwaySession();
  if (!session) return null;
  const [admin, approvable] = await Promise.all([
    checkAdmin(getDb(), session),
    listApprovableMappingIds(getDb(), { groups: session.user.groups, connectionId: session.idp.id }),
  ]);
  return { session, actor: accessActorFromSession(session, admin.status === "admin", clientInfo(h)), approvable };
}

/** For the request pages: signed out → /login?next=<path>. */
export async function requireRequestsViewer(path: string): Promise<RequestsViewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(`/login?next=${encodeURIComponent(path)}`);
  return viewer;
}

/** For the request pages' server actions: signed out → 401, before the input is read. */
export async function requireRequestsActor(): Promise<RequestsViewer> {
  const viewer = await currentViewer();
  if (!viewer) unauthorized();
  return viewer;
}

/** Whether the viewer approves anything, or is an admin: the header's "Requests" link. */
export function seesRequests(viewer: { actor: AccessActor; approvable: Set<string> }): boolean {
  return viewer.actor.isAdmin || viewer.approvable.size > 0;
}
