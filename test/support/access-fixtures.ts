import type { Db } from "@/lib/db";
import type { AccessActor } from "@/lib/access/access-actor";
import { accessSettingsToRow, STANDING, type AccessSettings } from "@/lib/access/access-settings";

/**
 * Just-in-time access rows for lib/access tests, written directly: the corp IdP, a prod account,
 * two eligible mappings (Admin: one approval, break-glass allowed, at most 2 h; Billing: two approvals,
 * a ticket like INC-123, at most 1 h) and a standing one (ReadOnly), and the people: alice asks,
 * bob and carol approve, dave is in no approver group, erin is an admin only.
 */
export const ACCOUNT_ID = "111111111111";
export const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/Admin`;
export const BILLING_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/Billing`;
export const READONLY_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/ReadOnly`;
export const REQUESTER_GROUPS = ["prod-admin-eligible", "prod-billing-eligible", "prod-readonly"];
export const APPROVER_GROUPS = ["prod-approvers"];

export interface AccessFixture {
  adminMappingId: string;
  billingMappingId: string;
  alice: AccessActor;
  bob: AccessActor;
  carol: AccessActor;
  dave: AccessActor;
  erin: AccessActor;
}

const eligible = (overrides: Partial<AccessSettings>): ReturnType<typeof accessSettingsToRow> =>
  accessSettingsToRow({
    ...STANDING,
    access: "eligible",
    approvers: [{ group: "prod-approvers", idp: "corp" }],
    ...overrides,
  });

export async function seedAccess(db: Db): Promise<AccessFixture> {
  await db.idpConnection.create({
    data: { id: "corp", name: "Corp IdP", entityId: "https://corp.example/idp" },
  });
  await db.awsAccount.create({
    data: {
      id: ACCOUNT_ID,
      alias: "prod",
      environment: "production",
      samlProviderArn: `arn:aws:iam::${ACCOUNT_ID}:saml-provider/Jetway`,
    },
  });
  const admin = await db.roleMapping.create({
    data: {
      connectionId: "corp",
      group: "prod-admin-eligible",
      roleArn: ADMIN_ROLE,
      label: "Prod admin",
      ...eligible({ maxDuration: 7_200, breakGlass: true }),
    },
  });
  const billing = await db.roleMapping.create({
    data: {
      connectionId: "corp",
      group: "prod-billing-eligible",
      roleArn: BILLING_ROLE,
      ...eligible({ approvalsRequired: 2, maxDuration: 3_600, requireTicket: "(INC|CHG)-\\d+" }),
    },
  });
  await db.roleMapping.create({ data: { connectionId: "corp", group: "prod-readonly", roleArn: READONLY_ROLE } });
  const person = async (nameId: string, groups: string[], isAdmin = false): Promise<AccessActor> => {
    const user = await db.user.create({
      data: {
        connectionId: "corp",
        nameId,
        email: `${nameId}@corp.example`,
        displayName: nameId[0]!.toUpperCase() + nameId.slice(1),
        groups: JSON.stringify(groups),
      },
    });
    return {
      userId: user.id,
      nameId,
      connectionId: "corp",
      displayName: user.displayName!,
      groups,
      isAdmin,
      ip: "192.0.2.1",
      userAgent: "vitest",
    };
  };
  return {
    adminMappingId: admin.id,
    billingMappingId: billing.id,
    alice: await person("alice", REQUESTER_GROUPS),
    bob: await person("bob", APPROVER_GROUPS),
    carol: await person("carol", APPROVER_GROUPS),
    dave: await person("dave", ["developers"]),
    erin: await person("erin", ["jetway-admins"], true),
  };
}

/** The audit rows of `type`, oldest first, their details parsed. */
export async function auditRows(db: Db, type: string) {
  const rows = await db.auditEvent.findMany({ where: { type }, orderBy: { at: "asc" } });
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
}
