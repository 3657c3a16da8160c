/**
 * Every kind of audit event Jetway writes (AuditEvent.type, `domain.verb`), each in the category
 * the audit log's filter offers it under. recordAuditEvent and audited() take only these, so a new
 * event is added here first (with its category), and the audit log can filter on it from then on.
 */
export const AUDIT_CATEGORIES = {
  signin: "Sign-ins",
  console: "Console sessions",
  session: "Sign-outs and switches",
  cli: "Command line",
  access: "Access requests",
  admin: "Admin changes",
  keys: "Signing keys",
  audit: "Audit exports and delivery",
} as const;
export type AuditCategory = keyof typeof AUDIT_CATEGORIES;

export const AUDIT_EVENT_TYPES = {
  // A person signing in through an IdP (the ACS).
  "saml.login": "signin",
  "saml.login_failed": "signin",
  // A browser session: another sign-in while signed in, and signing out.
  "session.switch": "session",
  "session.switch_declined": "session",
  "session.signout": "session",
  // Opening the AWS console.
  "console.signin": "console",
  // The command line: device sign-in, its approval on /device, credentials and logout.
  "cli.login": "cli",
  "cli.device_approve": "cli",
  "cli.device_deny": "cli",
  "cli.credentials": "cli",
  "cli.logout": "cli",
  // Just-in-time access (lib/access): a request for an eligible role and every transition of it.
  "access.request": "access",
  "access.approve": "access",
  "access.deny": "access",
  "access.cancel": "access",
  "access.activate": "access",
  "access.revoke": "access",
  "access.expire": "access",
  "access.break_glass": "access",
  "access.review": "access",
  // The admin console and the configuration file.
  "mapping.create": "admin",
  "mapping.update": "admin",
  "mapping.delete": "admin",
  "account.create": "admin",
  "account.update": "admin",
  "account.delete": "admin",
  "idp.create": "admin",
  "idp.update": "admin",
  "idp.enable": "admin",
  "idp.disable": "admin",
  "idp.metadata_refresh": "admin",
  "idp.certificate_rollover": "admin",
  "config.apply": "admin",
  "config.export": "admin",
  "config.scope_rules": "admin",
  "session.revoke": "admin",
  "admin.denied": "admin",
  // Jetway's own signing keys.
  "key.stage": "keys",
  "key.promote": "keys",
  // Reading the audit log out, and deciding about the audit stream's failed batches.
  "audit.export": "audit",
  // A failed batch of the audit stream (lib/audit/delivery), sent again or skipped by an admin.
  "audit.delivery_retry": "audit",
  "audit.delivery_skip": "audit",
} as const satisfies Record<string, AuditCategory>;
export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;

/** The event types, in the order above (for a filter's options). */
export const AUDIT_EVENT_TYPE_NAMES = Object.keys(AUDIT_EVENT_TYPES) as [AuditEventType, ...AuditEventType[]];

/** The event types of one category. */
export function auditEventTypesIn(category: AuditCategory): AuditEventType[] {
  return AUDIT_EVENT_TYPE_NAMES.filter((type) => AUDIT_EVENT_TYPES[type] === category);
}
