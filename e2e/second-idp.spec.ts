import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import YAML from "yaml";
import { idpUrls, setupIdp, type IdpServer, type IdpSetupOptions } from "./idp/setup";
import { E2E_DIR, PROD_ACCOUNT, READ_ONLY_LABEL, READ_ONLY_ROLE_ARN, USERS } from "./support/constants";
import { expect, test } from "./support/fixtures";
import { IdpLoginPage } from "./support/idp-login-page";
import { startJetwayProcess, type JetwayProcess } from "./support/jetway-process";
import { freePort } from "./support/processes";

/**
 * Issue 9 item 3: with one IdP, rules that name no IdP are valid (they are that IdP's); a second
 * IdP cannot be added through the admin console until they are scoped, because it would get them
 * too (a contractor asserting jetway-admins would be a Jetway admin).
 *
 * A Jetway of this spec's own (the production build on a fresh SQLite file) with one SimpleSAMLphp
 * and the config of a single-IdP deployment from before issue 9: unscoped mappings and admin group.
 */

const STATE_DIR = path.join(E2E_DIR, "second-idp");
const SECRET = "jetway-second-idp-e2e-secret-not-for-use-012345";
const IDP_ID = "corp";
const IDP_NAME = "Corp IdP (one IdP)";

let idp: IdpServer | undefined;
let jetway: JetwayProcess | undefined;
let baseUrl = "";
let idpBaseUrl = "";

test.describe.configure({ mode: "serial", timeout: 90_000 });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const [jetwayPort, idpPort] = [await freePort(), await freePort()];
  baseUrl = `http://127.0.0.1:${jetwayPort}`;
  const options: IdpSetupOptions = {
    stateDir: STATE_DIR,
    idpPort,
    jetwayBaseUrl: baseUrl,
    users: Object.values(USERS),
    idpId: IDP_ID,
    idpName: IDP_NAME,
    writtenBy: "e2e/second-idp.spec.ts",
    jetwayConfig: {
      accounts: [{ ...PROD_ACCOUNT }],
      // No `idp:` anywhere: valid while this is the only IdP.
      mappings: [
        { group: "aws-prod-readonly", roleArn: READ_ONLY_ROLE_ARN, label: READ_ONLY_LABEL },
        { groupPattern: "aws-{account}-{role}", roleArn: "arn:aws:iam::{account}:role/{role}" },
      ],
      admins: { groups: ["jetway-admins"] },
    },
  };
  idpBaseUrl = idpUrls(options).baseUrl;
  idp = await setupIdp(options);
  jetway = await startJetwayProcess({
    name: "Jetway with one IdP",
    port: jetwayPort,
    logFile: path.join(STATE_DIR, "jetway.log"),
    env: {
      JETWAY_BASE_URL: baseUrl,
      JETWAY_SECRET: SECRET,
      DATABASE_URL: `file:${path.join(STATE_DIR, "jetway.db")}`,
      JETWAY_CONFIG: path.join(STATE_DIR, "jetway.config.yaml"),
    },
  });
});

test.afterAll(async () => {
  await jetway?.stop();
  await idp?.stop();
});

test("adding a second IdP waits until every rule is scoped; one button scopes them all to the existing IdP", async ({
  page,
}) => {
  await page.goto(`${baseUrl}/admin/idps/new`);
  await new IdpLoginPage(page, idpBaseUrl).signIn(USERS.alice);
  await expect(page).toHaveURL(`${baseUrl}/admin/idps/new`);

  // The block: what is unscoped, no add form.
  await expect(page.getByRole("heading", { name: "Scope existing rules first" })).toBeVisible();
  await expect(page.getByTestId("unscoped-mappings").locator("li")).toHaveCount(2);
  await expect(page.getByTestId("unscoped-admin-groups")).toContainText("jetway-admins");
  await expect(page.getByRole("form", { name: "Identity provider" })).toHaveCount(0);

  await page.getByRole("button", { name: `Scope all to ${IDP_NAME}` }).click();

  // Then the add form, and the rules name the IdP (the export writes it).
  await expect(page.getByRole("form", { name: "Identity provider" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Scope existing rules first" })).toHaveCount(0);
  const exported = YAML.parse(await (await page.request.get(`${baseUrl}/admin/config/export`)).text()) as {
    mappings: { idp?: string }[];
    admins: { groups: unknown[] };
  };
  expect(exported.mappings.map((m) => m.idp)).toEqual([IDP_ID, IDP_ID]);
  expect(exported.admins.groups).toEqual([{ group: "jetway-admins", idp: IDP_ID }]);

  // One audit row for the whole change, by alice.
  const db = new Database(path.join(STATE_DIR, "jetway.db"), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(`SELECT "type", "result", "nameId" FROM "AuditEvent" WHERE "type" = 'config.scope_rules'`)
      .all();
    expect(rows).toEqual([{ type: "config.scope_rules", result: "success", nameId: USERS.alice.email }]);
  } finally {
    db.close();
  }
});
