import * as z from "zod/mini";

import { callApi, type ApiTarget } from "./api";
import type { CliContext } from "./context";

/** One grant, as GET /api/cli/roles lists it (the portal's own list). */
const roleSchema = z.object({
  accountId: z.string(),
  accountAlias: z.string(),
  partition: z.string(),
  roleName: z.string(),
  roleArn: z.string(),
  label: z.nullish(z.string()),
  sessionDuration: z.number(),
  defaultRegion: z.nullish(z.string()),
});
export type Role = z.infer<typeof roleSchema>;

const rolesResponseSchema = z.object({ roles: z.array(roleSchema) });

/** The signed-in person's grants, sorted by account alias then role (stable output, idempotent config). */
export async function fetchRoles(ctx: Pick<CliContext, "fetch">, target: ApiTarget): Promise<Role[]> {
  const { roles } = await callApi(ctx, target, { method: "GET", path: "/api/cli/roles" }, rolesResponseSchema);
  return [...roles].sort(
    (a, b) => compare(a.accountAlias || a.accountId, b.accountAlias || b.accountId) || compare(a.roleName, b.roleName),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether `role` is what `--account A --role R` names (the account by alias or id, as the server accepts). */
export const matchesRole = (role: Role, account: string, roleName: string) =>
  (role.accountAlias === account || role.accountId === account) && role.roleName === roleName;
