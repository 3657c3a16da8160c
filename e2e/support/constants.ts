import path from "node:path";

/**
 * Everything the e2e harness, the IdP setup and the specs agree on. Ports can be moved with
 * E2E_IDP_PORT / E2E_CONTRACTOR_IDP_PORT / E2E_JETWAY_PORT / E2E_SANDBOX_PORT when the defaults
 * are taken; nothing else varies.
 * (`npm run demo` reuses the IdP setup with its own folder and ports: scripts/demo.ts.)
 */
export const ROOT_DIR = path.resolve(__dirname, "..", "..");
export const E2E_DIR = path.join(ROOT_DIR, ".e2e");
export const REPORTS_DIR = path.join(E2E_DIR, "reports");

export const IDP_PORT = Number(process.env.E2E_IDP_PORT || 8189);
/** The contractor's SimpleSAMLphp (a second IdP of the same Jetway), started with the company's. */
export const CONTRACTOR_IDP_PORT = Number(process.env.E2E_CONTRACTOR_IDP_PORT || 8190);
export const JETWAY_PORT = Number(process.env.E2E_JETWAY_PORT || 3100);
/** 4576, not the sandbox's own default 4566, so that a running `npm run demo` does not clash. */
export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT || 4576);

export const IDP_BASE_URL = `http://127.0.0.1:${IDP_PORT}`;
export const IDP_METADATA_URL = `${IDP_BASE_URL}/saml2/idp/metadata.php`;
export const IDP_SSO_URL = `${IDP_BASE_URL}/saml2/idp/SSOService.php`;

export const JETWAY_BASE_URL = `http://127.0.0.1:${JETWAY_PORT}`;
export const JETWAY_SP_ENTITY_ID = `${JETWAY_BASE_URL}/api/saml/metadata`;
export const JETWAY_ACS_URL = `${JETWAY_BASE_URL}/api/saml/acs`;
export const JETWAY_HEALTH_URL = `${JETWAY_BASE_URL}/api/health`;
/** Jetway-as-IdP metadata, which the sandbox's IAM fetches (lazily) for its SAML provider. */
export const JETWAY_AWS_METADATA_URL = `${JETWAY_BASE_URL}/api/saml/aws/metadata`;

/** The local AWS sandbox (sandbox/): STS at its root, the federation endpoint, a console page. */
export const SANDBOX_BASE_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
export const SANDBOX_STS_ENDPOINT = SANDBOX_BASE_URL;
export const SANDBOX_SIGNIN_ENDPOINT = `${SANDBOX_BASE_URL}/federation`;
export const SANDBOX_CONSOLE_URL = `${SANDBOX_BASE_URL}/console`;
export const SANDBOX_HEALTH_URL = `${SANDBOX_BASE_URL}/healthz`;
export const SANDBOX_CALLS_URL = `${SANDBOX_BASE_URL}/_sandbox/calls`;

/** The IdP-initiated entry point (an SSO tile, in the IdP's own words). */
export const IDP_INITIATED_URL = `${IDP_SSO_URL}?spentityid=${encodeURIComponent(JETWAY_SP_ENTITY_ID)}`;

/** Connection id in .e2e/jetway.config.yaml: the company IdP. */
export const E2E_IDP_ID = "simplesaml";
export const E2E_IDP_NAME = "SimpleSAMLphp (e2e)";
/** The domain of the company's people (USERS); the company IdP may assert it, and only it. */
export const CORP_EMAIL_DOMAIN = "example.com";

/** The contractor IdP: another SimpleSAMLphp, unlisted on /login (reached by /login?idp=contractor). */
export const CONTRACTOR_IDP_ID = "contractor";
export const CONTRACTOR_IDP_NAME = "Contractor IdP (e2e)";
export const CONTRACTOR_EMAIL_DOMAIN = "contractor.example";
export const CONTRACTOR_IDP_DIR = path.join(E2E_DIR, "contractor-idp");
export const CONTRACTOR_IDP_BASE_URL = `http://127.0.0.1:${CONTRACTOR_IDP_PORT}`;
export const CONTRACTOR_IDP_INITIATED_URL = `${CONTRACTOR_IDP_BASE_URL}/saml2/idp/SSOService.php?spentityid=${encodeURIComponent(JETWAY_SP_ENTITY_ID)}`;

/** Issue 9 fields of the two SimpleSAMLphp connections' entries in .e2e/jetway.config.yaml. */
export const E2E_IDP_CONNECTION = { emailDomains: [CORP_EMAIL_DOMAIN], primary: true };
export const CONTRACTOR_IDP_CONNECTION = { emailDomains: [CONTRACTOR_EMAIL_DOMAIN], listed: false };

/**
 * Test-only secret (48 characters). Exported so a security spec can assert that it never
 * appears in Jetway's log (.e2e/jetway.log).
 */
export const E2E_JETWAY_SECRET = "jetway-e2e-only-secret-do-not-use-0123456789abcd";

/**
 * Jetway's rate limits in the e2e run (JETWAY_RATE_LIMIT_PER_MINUTE and _GO_): the whole suite
 * signs in from 127.0.0.1, far more often than one person would; e2e/web-hardening.spec.ts
 * exhausts a budget from a client address of its own.
 */
export const E2E_RATE_LIMIT_PER_MINUTE = 300;

export const JETWAY_LOG_FILE = path.join(E2E_DIR, "jetway.log");
export const JETWAY_CONFIG_FILE = path.join(E2E_DIR, "jetway.config.yaml");
export const IDP_METADATA_FILE = path.join(E2E_DIR, "idp-metadata.xml");
export const JETWAY_DB_FILE = path.join(E2E_DIR, "jetway.db");
export const SANDBOX_CONFIG_FILE = path.join(E2E_DIR, "sandbox.config.yaml");
export const SANDBOX_LOG_FILE = path.join(E2E_DIR, "sandbox.log");
/**
 * Written by e2e/support/start-sandbox.ts (mode 0600): every secret access key, session token and
 * sign-in token the sandbox issued during the run, so that a spec can check Jetway's log for them.
 * The sandbox itself never shows them (its /_sandbox/calls lists access key ids only).
 */
export const SANDBOX_SECRETS_FILE = path.join(E2E_DIR, "sandbox-secrets.json");

/** Jetway's session cookie over plain http (`__Host-jetway-session` on https). */
export const SESSION_COOKIE = "jetway-session";
/** The binding of an SP-initiated sign-in to its browser, set at /login/start (`__Host-jetway-authn` on https). */
export const AUTHN_BINDING_COOKIE = "jetway-authn";

export interface E2eUser {
  username: string;
  password: string;
  email: string;
  displayName: string;
  groups: string[];
}

export const USERS = {
  alice: {
    username: "alice",
    password: "alice-pass",
    email: "alice@example.com",
    displayName: "Alice Example",
    groups: ["jetway-admins", "aws-prod-readonly"],
  },
  bob: {
    username: "bob",
    password: "bob-pass",
    email: "bob@example.com",
    displayName: "Bob Builder",
    groups: ["developers"],
  },
} satisfies Record<string, E2eUser>;

/**
 * The portal's people (e2e/portal.spec.ts), each for one feature so that what one test stores
 * (favourites, recents) does not disturb another: carol stars and searches, dave opens consoles
 * for his recents, frank's IdP sends no groups. carol and dave have the same four roles: ReadOnly
 * in prod (production), Developer and ReadOnly in stage (staging), Admin in prod (which the
 * sandbox's IAM refuses: the STS error state).
 */
const PORTAL_GROUPS = ["aws-prod-readonly", "aws-prod-Admin", "aws-stage-Developer", "aws-stage-ReadOnly"];
export const PORTAL_USERS = {
  carol: {
    username: "carol",
    password: "carol-pass",
    email: "carol@example.com",
    displayName: "Carol Portal",
    groups: PORTAL_GROUPS,
  },
  dave: {
    username: "dave",
    password: "dave-pass",
    email: "dave@example.com",
    displayName: "Dave Recent",
    groups: PORTAL_GROUPS,
  },
  frank: {
    username: "frank",
    password: "frank-pass",
    email: "frank@example.com",
    displayName: "Frank Nogroups",
    groups: [],
  },
} satisfies Record<string, E2eUser>;

/**
 * Just-in-time access (issue 14, e2e/access-requests.spec.ts), people of their own so that no other
 * spec sees their requests: jill may request three production roles (and approves too, so that her
 * own request is one an approver could otherwise decide); pat and quinn approve them.
 */
export const ELIGIBLE_GROUP = "prod-operators-eligible";
export const APPROVER_GROUP = "prod-approvers";
export const ACCESS_USERS = {
  jill: {
    username: "jill",
    password: "jill-pass",
    email: "jill@example.com",
    displayName: "Jill Requester",
    groups: [ELIGIBLE_GROUP, APPROVER_GROUP],
  },
  pat: {
    username: "pat",
    password: "pat-pass",
    email: "pat@example.com",
    displayName: "Pat Approver",
    groups: [APPROVER_GROUP],
  },
  quinn: {
    username: "quinn",
    password: "quinn-pass",
    email: "quinn@example.com",
    displayName: "Quinn Approver",
    groups: [APPROVER_GROUP],
  },
} satisfies Record<string, E2eUser>;

/** Whom the portal's "no role" and "no results" messages name (portal.adminContact). */
export const E2E_ADMIN_CONTACT = "the cloud team (cloud@example.com)";

/** The fake AWS account of the console specs, as Jetway's config names it. */
export const PROD_ACCOUNT = {
  id: "111111111111",
  alias: "prod",
  partition: "aws",
  samlProviderArn: "arn:aws:iam::111111111111:saml-provider/Jetway",
} as const;

/** A staging account of the portal specs: its sessions carry the environment as the session tag "Environment". */
export const STAGE_ACCOUNT = {
  id: "222222222222",
  alias: "stage",
  partition: "aws",
  samlProviderArn: "arn:aws:iam::222222222222:saml-provider/Jetway",
  environment: "staging",
  environmentTagKey: "Environment",
} as const;
export const STAGE_DEVELOPER_ROLE_ARN = `arn:aws:iam::${STAGE_ACCOUNT.id}:role/Developer`;
export const STAGE_READ_ONLY_ROLE_ARN = `arn:aws:iam::${STAGE_ACCOUNT.id}:role/ReadOnly`;

export const READ_ONLY_ROLE_ARN = `arn:aws:iam::${PROD_ACCOUNT.id}:role/ReadOnly`;
export const ADMIN_ROLE_ARN = `arn:aws:iam::${PROD_ACCOUNT.id}:role/Admin`;
/** Eligible roles (issue 14): one approver, two approvers, break-glass allowed. */
export const OPERATOR_ROLE_ARN = `arn:aws:iam::${PROD_ACCOUNT.id}:role/Operator`;
export const DATABASE_ADMIN_ROLE_ARN = `arn:aws:iam::${PROD_ACCOUNT.id}:role/DatabaseAdmin`;
export const INCIDENT_ROLE_ARN = `arn:aws:iam::${PROD_ACCOUNT.id}:role/IncidentResponder`;
export const READ_ONLY_LABEL = "Production read-only";
export const CONTRACTOR_READ_ONLY_LABEL = "Contractor read-only";

/**
 * The contractor IdP's people: mallory asserts an address of the contractor's own domain; eve
 * asserts alice's company address (the attack of issue 9 item 4: claiming another IdP's identity).
 */
export const CONTRACTOR_USERS = {
  mallory: {
    username: "mallory",
    password: "mallory-pass",
    email: `mallory@${CONTRACTOR_EMAIL_DOMAIN}`,
    displayName: "Mallory Contractor",
    groups: ["contractors"],
  },
  eve: {
    username: "eve",
    password: "eve-pass",
    email: USERS.alice.email,
    displayName: "Eve Impostor",
    groups: ["contractors"],
  },
} satisfies Record<string, E2eUser>;

/**
 * The eligible mappings of the e2e config (issue 14): Operator with one approval and a 12 h console
 * session (so that the grant, not the mapping, bounds it), DatabaseAdmin with two approvals and a
 * ticket, IncidentResponder with break-glass.
 */
const approvers = [{ group: APPROVER_GROUP, idp: E2E_IDP_ID }];
export const ELIGIBLE_MAPPINGS = [
  {
    idp: E2E_IDP_ID,
    group: ELIGIBLE_GROUP,
    roleArn: OPERATOR_ROLE_ARN,
    label: "Production operator",
    sessionDuration: 43200,
    access: "eligible",
    approvers,
    maxDuration: 7200,
  },
  {
    idp: E2E_IDP_ID,
    group: ELIGIBLE_GROUP,
    roleArn: DATABASE_ADMIN_ROLE_ARN,
    label: "Production database admin",
    access: "eligible",
    approvers,
    approvalsRequired: 2,
    requireTicket: "OPS-[0-9]+",
  },
  {
    idp: E2E_IDP_ID,
    group: ELIGIBLE_GROUP,
    roleArn: INCIDENT_ROLE_ARN,
    label: "Incident responder",
    access: "eligible",
    approvers,
    maxDuration: 7200,
    breakGlass: true,
  },
];

/** Sections added to .e2e/jetway.config.yaml beside the IdP (see e2e/idp/setup.ts). */
export const E2E_JETWAY_CONFIG = {
  // prod is production: the portal asks before opening it from search with Enter.
  accounts: [{ ...PROD_ACCOUNT, environment: "production" }, { ...STAGE_ACCOUNT }],
  // With several IdPs every rule names the one it trusts (issue 9 item 3).
  mappings: [
    {
      idp: E2E_IDP_ID,
      group: "aws-prod-readonly",
      roleArn: READ_ONLY_ROLE_ARN,
      label: READ_ONLY_LABEL,
      sessionDuration: 3600,
    },
    { idp: E2E_IDP_ID, groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" },
    {
      idp: CONTRACTOR_IDP_ID,
      group: "contractors",
      roleArn: READ_ONLY_ROLE_ARN,
      label: CONTRACTOR_READ_ONLY_LABEL,
      sessionDuration: 3600,
    },
    // Just-in-time access (issue 14): roles ACCESS_USERS.jill may request, approved by prod-approvers.
    ...ELIGIBLE_MAPPINGS,
  ],
  admins: { groups: [{ group: "jetway-admins", idp: E2E_IDP_ID }] },
  portal: { adminContact: E2E_ADMIN_CONTACT },
};

/**
 * The sandbox's IAM entry for one of prod's eligible roles (issue 14): 12 h sessions, so that only
 * the grant cuts them.
 */
export function eligibleSandboxRole(arn: string) {
  return {
    arn,
    maxSessionDuration: 43200,
    trustedProviders: [PROD_ACCOUNT.samlProviderArn],
    samlAud: ["https://signin.aws.amazon.com/saml"],
    allowSetSourceIdentity: true,
    allowTagSession: false,
  };
}

/**
 * The sandbox's IAM for the e2e run (.e2e/sandbox.config.yaml): account 111111111111 trusts
 * Jetway's AWS-side IdP, whose metadata it fetches from the Jetway under test.
 */
export const E2E_SANDBOX_CONFIG = {
  samlProviders: [PROD_ACCOUNT, STAGE_ACCOUNT].map((a) => ({
    arn: a.samlProviderArn,
    metadataUrl: JETWAY_AWS_METADATA_URL,
  })),
  roles: [
    {
      arn: READ_ONLY_ROLE_ARN,
      maxSessionDuration: 43200,
      trustedProviders: [PROD_ACCOUNT.samlProviderArn],
      samlAud: ["https://signin.aws.amazon.com/saml"],
      allowSetSourceIdentity: true,
      allowTagSession: false,
    },
    {
      arn: ADMIN_ROLE_ARN,
      maxSessionDuration: 3600,
      trustedProviders: [PROD_ACCOUNT.samlProviderArn],
      samlAud: ["https://signin.aws.amazon.com/saml"],
      allowSetSourceIdentity: false,
      allowTagSession: false,
    },
    ...[OPERATOR_ROLE_ARN, DATABASE_ADMIN_ROLE_ARN, INCIDENT_ROLE_ARN].map(eligibleSandboxRole),
    // stage's sessions carry the Environment tag: its roles allow sts:TagSession.
    ...[STAGE_DEVELOPER_ROLE_ARN, STAGE_READ_ONLY_ROLE_ARN].map((arn) => ({
      arn,
      maxSessionDuration: 3600,
      trustedProviders: [STAGE_ACCOUNT.samlProviderArn],
      samlAud: ["https://signin.aws.amazon.com/saml"],
      allowSetSourceIdentity: true,
      allowTagSession: true,
    })),
  ],
};
