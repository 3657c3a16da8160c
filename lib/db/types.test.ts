import { describe, expectTypeOf, it } from "vitest";
import type * as Postgres from "./generated/postgres/client";
import type * as Rows from "./types";

// Checked by the type checker (`tsc --noEmit`, a step of `npm test`): a model whose fields differ
// between the providers fails to compile here, and lib/db/types.ts would then be wrong for one.
describe("lib/db/types", () => {
  it("each row type is the same on SQLite and PostgreSQL", () => {
    expectTypeOf<Rows.AdminGroup>().toEqualTypeOf<Postgres.AdminGroup>();
    expectTypeOf<Rows.AuditEvent>().toEqualTypeOf<Postgres.AuditEvent>();
    expectTypeOf<Rows.AwsAccount>().toEqualTypeOf<Postgres.AwsAccount>();
    expectTypeOf<Rows.DeviceAuthorization>().toEqualTypeOf<Postgres.DeviceAuthorization>();
    expectTypeOf<Rows.Favourite>().toEqualTypeOf<Postgres.Favourite>();
    expectTypeOf<Rows.IdpCertificate>().toEqualTypeOf<Postgres.IdpCertificate>();
    expectTypeOf<Rows.IdpConnection>().toEqualTypeOf<Postgres.IdpConnection>();
    expectTypeOf<Rows.PendingAuthnRequest>().toEqualTypeOf<Postgres.PendingAuthnRequest>();
    expectTypeOf<Rows.RateLimitBucket>().toEqualTypeOf<Postgres.RateLimitBucket>();
    expectTypeOf<Rows.RoleMapping>().toEqualTypeOf<Postgres.RoleMapping>();
    expectTypeOf<Rows.SeenAssertion>().toEqualTypeOf<Postgres.SeenAssertion>();
    expectTypeOf<Rows.Session>().toEqualTypeOf<Postgres.Session>();
    expectTypeOf<Rows.Setting>().toEqualTypeOf<Postgres.Setting>();
    expectTypeOf<Rows.SigningKey>().toEqualTypeOf<Postgres.SigningKey>();
    expectTypeOf<Rows.User>().toEqualTypeOf<Postgres.User>();
  });
});
