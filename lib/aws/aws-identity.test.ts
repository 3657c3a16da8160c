import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite } from "@/test/support/sqlite";
import { awsIdentityFor, isEmailAllowed, type AwsIdentityConnection } from "./aws-identity";
import { readIdentityConnection } from "./read-identity-connection";

const VALID = /^[\w+=,.@-]{2,64}$/;
const corp: AwsIdentityConnection = {
  id: "corp",
  primary: true,
  emailDomains: ["corp.com", "corp.example"],
  sole: false,
};
const contractor: AwsIdentityConnection = {
  id: "contractor",
  primary: false,
  emailDomains: ["contractor.com"],
  sole: false,
};
const partner: AwsIdentityConnection = { id: "partner", primary: false, emailDomains: ["partner.io"], sole: false };

describe("awsIdentityFor", () => {
  it("primary connection, email in its domains: the bare email, as before", () => {
    expect(awsIdentityFor({ connection: corp, email: "alice@corp.com", nameId: "00u1" })).toEqual({
      value: "alice@corp.com",
      form: "email",
    });
    // The domain is compared case-insensitively; the address is kept as asserted.
    expect(awsIdentityFor({ connection: corp, email: "Alice@CORP.com", nameId: "00u1" }).value).toBe("Alice@CORP.com");
  });

  it("ATTACK: a contractor IdP asserting alice@corp.com gets a prefixed NameID, never Alice's identity", () => {
    const attack = awsIdentityFor({ connection: contractor, email: "alice@corp.com", nameId: "alice@corp.com" });
    expect(attack).toEqual({ value: "contractor+alice_at_corp.com", form: "prefixed-name-id" });
    expect(attack.value).not.toBe(awsIdentityFor({ connection: corp, email: "alice@corp.com", nameId: "00u1" }).value);
    expect(attack.value).not.toContain("@");
    // Control: the contractor's own people keep their address, behind the prefix.
    expect(awsIdentityFor({ connection: contractor, email: "bob@contractor.com", nameId: "bob" })).toEqual({
      value: "contractor+bob@contractor.com",
      form: "prefixed-email",
    });
  });

  it("an email outside the connection's domains is not used, on the primary too", () => {
    expect(awsIdentityFor({ connection: corp, email: "mallory@gmail.com", nameId: "mallory@gmail.com" }).value).toBe(
      "corp+mallory_at_gmail.com",
    );
    expect(awsIdentityFor({ connection: corp, email: "alice@sub.corp.com", nameId: "00u1" }).value).toBe("corp+00u1"); // exact domains only
    expect(awsIdentityFor({ connection: corp, email: "alice@corp.com.evil", nameId: "x@y" }).value).toBe("corp+x_at_y");
    expect(awsIdentityFor({ connection: corp, email: '"a@b"@corp.com', nameId: "00u1" }).value).toBe("corp+00u1"); // one "@" only
    expect(awsIdentityFor({ connection: corp, email: undefined, nameId: "00u1" })).toEqual({
      value: "corp+00u1",
      form: "prefixed-name-id",
    });
  });

  it("the only connection with no domains listed is primary and may assert any address", () => {
    const only: AwsIdentityConnection = { id: "corp", primary: true, emailDomains: null, sole: true };
    expect(awsIdentityFor({ connection: only, email: "alice@anything.example", nameId: "00u1" }).value).toBe(
      "alice@anything.example",
    );
    // Not alone (two connections, domains not yet listed): its emails do not count.
    expect(
      awsIdentityFor({ connection: { ...only, sole: false }, email: "alice@anything.example", nameId: "00u1" }).value,
    ).toBe("corp+00u1");
    expect(isEmailAllowed({ emailDomains: [], sole: false }, "a@b.com")).toBe(false);
  });

  it("keeps AWS's rules: characters, 64 characters with a hash when longer, prefix kept whole", () => {
    const accented = awsIdentityFor({ connection: corp, email: "josé@corp.com", nameId: "00u1" });
    expect(accented.value).toMatch(/^corp\+jose_at_corp\.com-[0-9a-f]{8}$/);
    const longLocal = `${"a".repeat(70)}@corp.com`;
    const long = awsIdentityFor({ connection: corp, email: longLocal, nameId: "00u1" }).value;
    expect(long).toMatch(VALID);
    expect(long.startsWith("corp+aaaa")).toBe(true);
    expect(long).toHaveLength(64);
    const other = awsIdentityFor({ connection: corp, email: `${"a".repeat(71)}@corp.com`, nameId: "00u1" }).value;
    expect(other).not.toBe(long); // different people stay different
    const contractorLong = awsIdentityFor({
      connection: contractor,
      email: `${"b".repeat(60)}@contractor.com`,
      nameId: "x",
    }).value;
    expect(contractorLong).toMatch(/^contractor\+b+_at_contractor\.com-[0-9a-f]{8}$|^contractor\+b+-[0-9a-f]{8}$/);
    expect(contractorLong).toHaveLength(64);
    expect(awsIdentityFor({ connection: contractor, email: null, nameId: "a" }).value).toBe("contractor+a");
  });

  it("a single connection with a very long id still yields a valid value", () => {
    const only: AwsIdentityConnection = { id: "c".repeat(60), primary: true, emailDomains: null, sole: true };
    expect(awsIdentityFor({ connection: only, email: undefined, nameId: "someone@x.com" }).value).toMatch(VALID);
  });

  it("refuses to invent an identity from nothing", () => {
    expect(() => awsIdentityFor({ connection: contractor, email: undefined, nameId: "" })).toThrow(/empty/);
  });

  /**
   * The guarantee: two connections never produce the same value, whatever their IdPs assert.
   * Every IdP asserts every email and NameID below (its own people's, the others', hostile and
   * over-long ones); no value may come from two connections.
   */
  it("two connections never produce the same value", () => {
    const locals = [
      "alice",
      "contractor+alice",
      "corp+alice",
      "partner+x",
      "a",
      "José",
      "x".repeat(60),
      "a_at_corp.com",
      "alice-1a2b3c4d",
    ];
    const domains = [
      "corp.com",
      "CORP.COM",
      "corp.example",
      "contractor.com",
      "partner.io",
      "gmail.com",
      "corp.com-1a2b3c4d",
    ];
    const emails = [
      undefined,
      ...locals.flatMap((l) => domains.map((d) => `${l}@${d}`)),
      "contractor+alice@corp.com",
      "no-at-sign",
    ];
    const nameIds = [
      "00u1",
      ...emails.filter((e): e is string => e !== undefined),
      "alice_at_corp.com",
      "corp+alice@corp.com",
      "日本",
      "a b",
      "y".repeat(100),
    ];
    const connections = [
      corp,
      contractor,
      partner,
      { ...corp, id: "corp-eu", primary: false, emailDomains: ["eu.corp.com"] },
    ];
    const owner = new Map<string, string>();
    let count = 0;
    for (const connection of connections) {
      for (const email of emails) {
        for (const nameId of nameIds) {
          const { value, form } = awsIdentityFor({ connection, email, nameId });
          expect(value).toMatch(VALID);
          count++;
          const seen = owner.get(value);
          if (seen !== undefined && seen !== connection.id)
            throw new Error(`${value} produced by ${seen} and ${connection.id}`);
          owner.set(value, connection.id);
          if (form === "email") {
            expect(connection.primary).toBe(true);
            expect(connection.emailDomains).toContain(value.split("@")[1]!.toLowerCase());
          } else {
            expect(value.startsWith(`${connection.id}+`)).toBe(true);
            const rest = value.slice(connection.id.length + 1);
            if (rest.includes("@")) expect(connection.emailDomains).toContain(rest.split("@")[1]!.toLowerCase());
          }
        }
      }
    }
    expect(count).toBeGreaterThan(10_000);
  });
});

describe("readIdentityConnection (real database)", () => {
  let env: Awaited<ReturnType<typeof createTestSqlite>>;
  beforeAll(async () => {
    env = await createTestSqlite();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it("reads the effective primary, the stored domains and whether the connection is alone", async () => {
    await env.db.idpConnection.create({
      data: {
        id: "corp",
        name: "Corp",
        entityId: "https://corp.example/idp",
        createdAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
    expect(await readIdentityConnection(env.db, "corp")).toEqual({
      id: "corp",
      primary: true,
      emailDomains: null,
      sole: true,
    });

    await env.db.idpConnection.update({ where: { id: "corp" }, data: { emailDomains: '["corp.com"]' } });
    await env.db.idpConnection.create({
      data: {
        id: "contractor",
        name: "Contractor",
        entityId: "https://contractor.example/idp",
        emailDomains: '["contractor.com"]',
        createdAt: new Date("2026-02-01T00:00:00Z"),
      },
    });
    // None flagged: the oldest is primary, so adding the contractor changed nothing for corp's people.
    expect(await readIdentityConnection(env.db, "corp")).toEqual({
      id: "corp",
      primary: true,
      emailDomains: ["corp.com"],
      sole: false,
    });
    expect(await readIdentityConnection(env.db, "contractor")).toMatchObject({
      primary: false,
      emailDomains: ["contractor.com"],
    });

    await env.db.idpConnection.update({ where: { id: "contractor" }, data: { primary: true } });
    expect(await readIdentityConnection(env.db, "corp")).toMatchObject({ primary: false });
    expect(await readIdentityConnection(env.db, "contractor")).toMatchObject({ primary: true });
    expect(await readIdentityConnection(env.db, "gone")).toBeUndefined();
  });
});
