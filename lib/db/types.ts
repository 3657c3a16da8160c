/**
 * The row types of Jetway's models (what `db.roleMapping.findUnique` returns), for code that names
 * a row: an operation's result, an audit's before and after. Import them from here, never from
 * lib/db/generated (test/architecture/generated-client-imports.test.ts checks it).
 *
 * Why one set serves both databases: the two Prisma clients (lib/db/generated/sqlite and
 * lib/db/generated/postgres) are generated from the same models (prisma/postgres/schema.prisma is
 * generated from prisma/schema.prisma, lib/db/schema-sync.test.ts holds them together), and a row
 * type holds only the model's fields, which map to the same TypeScript types on both providers.
 * lib/db/types.test.ts has the type checker prove it, model by model. The client types differ only
 * in provider internals; lib/db.ts deals with that once (`Db`).
 */
export type {
  AdminGroup,
  AuditEvent,
  AwsAccount,
  DeviceAuthorization,
  Favourite,
  IdpCertificate,
  IdpConnection,
  PendingAuthnRequest,
  RateLimitBucket,
  RoleMapping,
  SeenAssertion,
  Session,
  Setting,
  SigningKey,
  User,
} from "./generated/sqlite/client";
