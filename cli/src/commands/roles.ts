import { parseCommandArgs } from "../args";
import type { CliContext } from "../context";
import { formatDuration } from "../duration";
import { EXIT } from "../errors";
import { fetchRoles, type Role } from "../roles";
import { requireServer } from "../server";
import { requireSignIn } from "../token-store";

export async function roles(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseCommandArgs("roles", argv, { json: { type: "boolean" } });
  const server = await requireServer(ctx, args.url);
  const signIn = await requireSignIn(ctx, server.url, server.loginHint);
  const list = await fetchRoles(ctx, { ...server, token: signIn.token });
  if (args.json) {
    ctx.stdout(`${JSON.stringify(list, null, 2)}\n`);
  } else if (list.length === 0) {
    ctx.stderr(
      `None of your groups maps to an AWS role on ${server.url}. If you need access, ask your administrator.\n`,
    );
  } else {
    ctx.stdout(formatRolesTable(list));
  }
  return EXIT.ok;
}

export function formatRolesTable(list: Role[]): string {
  const rows = [
    ["ACCOUNT", "ALIAS", "ROLE", "LABEL", "MAX DURATION"],
    ...list.map((r) => [r.accountId, r.accountAlias, r.roleName, r.label ?? "", formatDuration(r.sessionDuration)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}
