import { headers } from "next/headers";
import { forbidden, redirect, unauthorized } from "next/navigation";
import type { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getJetwaySession } from "@/lib/auth/get-session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientInfo } from "@/lib/http/client-info";
import { errorPageResponse } from "@/lib/http/error-page";
import { log } from "@/lib/log";
import { fieldErrorsOf, formDataToObject, type ActionState } from "./action-state";
import type { AdminActor } from "./admin-actor";
import { checkAdmin, type AdminCheck } from "./check-admin";

/**
 * The admin gate for every admin page, route handler and server action. A server action is a
 * public POST endpoint and a route handler is a public URL: each checks the caller itself;
 * hiding a link protects nothing.
 */

async function currentCheck(requestHeaders?: Headers): Promise<AdminCheck> {
  const h = requestHeaders ?? (await headers());
  return checkAdmin(getDb(), await getJetwaySession(), clientInfo(h));
}

/** A refused attempt leaves an audit row (who, what), so probing the admin console shows up. */
async function recordDenied(
  check: Extract<AdminCheck, { status: "not-admin" }>,
  what: string,
  h: Headers,
): Promise<void> {
  await recordAuditEvent(getDb(), {
    type: "admin.denied",
    result: "failure",
    userId: check.session.user.id,
    nameId: check.session.user.nameId,
    connectionId: check.session.idp.id,
    ...clientInfo(h),
    reason: `not in an admin group: ${what}`,
    details: { target: what },
  }).catch((error: unknown) => log.error("audit write failed", { error: (error as Error)?.message }));
}

/** For admin pages: signed out → /login?next=<path>; not an admin → the 403 page (app/admin/forbidden.tsx). */
export async function requireAdminPage(path: string): Promise<AdminActor> {
  const h = await headers();
  const check = await currentCheck(h);
  if (check.status === "signed-out") redirect(`/login?next=${encodeURIComponent(path)}`);
  if (check.status === "not-admin") {
    await recordDenied(check, `page ${path}`, h);
    forbidden();
  }
  return check.actor;
}

/** For admin route handlers: the actor, or the response to send (302 to sign in, or a 403 page). */
export async function requireAdminRoute(request: Request, path: string): Promise<AdminActor | Response> {
  const check = await currentCheck(request.headers);
  if (check.status === "signed-out") {
    return new Response(null, {
      status: 302,
      headers: {
        location: `${getEnv().JETWAY_BASE_URL}/login?next=${encodeURIComponent(path)}`,
        "cache-control": "no-store",
      },
    });
  }
  if (check.status === "not-admin") {
    await recordDenied(check, `route ${path}`, request.headers);
    return errorPageResponse(
      new AppError("admin.forbidden", {
        status: 403,
        message: `${check.session.user.nameId} is not in an admin group`,
        userMessage: "This part of Jetway is for administrators. Your groups do not include an admin group.",
      }),
      { title: "Administrators only", retryHref: "/", retryLabel: "Back to your roles" },
    );
  }
  return check.actor;
}

/** For server actions: signed out → 401, not an admin → 403 (thrown before the input is even read). */
async function requireAdminAction(name: string): Promise<AdminActor> {
  const h = await headers();
  const check = await currentCheck(h);
  if (check.status === "signed-out") unauthorized();
  if (check.status === "not-admin") {
    await recordDenied(check, `action ${name}`, h);
    forbidden();
  }
  return check.actor;
}

/**
 * A form's server action (for useActionState): checks the caller, validates the form with
 * `schema`, then runs `fn`. Invalid input comes back as field errors and writes nothing.
 */
export function adminFormAction<S extends z.ZodType>(
  name: string,
  schema: S,
  fn: (input: z.output<S>, actor: AdminActor, values: Record<string, string>) => Promise<ActionState>,
): (previous: ActionState, formData: FormData) => Promise<ActionState> {
  return async (_previous, formData) => {
    const actor = await requireAdminAction(name);
    const values = formData instanceof FormData ? formDataToObject(formData) : {};
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      return {
        status: "error",
        message: "Fix the highlighted fields.",
        fieldErrors: fieldErrorsOf(parsed.error),
        values,
      };
    }
    return fn(parsed.data, actor, values);
  };
}

/** A server action called with one plain argument (e.g. a live preview): caller checked, input validated. */
export function adminAction<S extends z.ZodType, R>(
  name: string,
  schema: S,
  fn: (input: z.output<S>, actor: AdminActor) => Promise<R>,
): (input: z.input<S>) => Promise<R | { error: string }> {
  return async (input) => {
    const actor = await requireAdminAction(name);
    const parsed = schema.safeParse(input);
    if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("; ") };
    return fn(parsed.data, actor);
  };
}

/** What every admin page's frame shows: who is signed in, and the config file that start-up re-applies. */
export function adminShellProps(actor: AdminActor): { actorName: string; configFile?: string } {
  return { actorName: actor.displayName, configFile: getEnv().JETWAY_CONFIG };
}

/** The first value of a search parameter. */
export function param(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}
