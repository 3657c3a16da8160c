import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CliChecksum, CommandLineSetup, type SetupStep } from "@/components/command-line-setup";
import { PageShell } from "@/components/page-shell";
import { SignOutButton } from "@/components/sign-out-button";
import { getJetwaySession } from "@/lib/auth/get-session";
import { listGrantsForSession } from "@/lib/broker/list-grants";
import { readCliDist } from "@/lib/cli-dist/read-cli-dist";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Command line" };

/** How to get AWS credentials in a terminal through this Jetway: download, check, sign in, configure. */
export default async function CommandLinePage() {
  const session = await getJetwaySession();
  if (!session) redirect(`/login?next=${encodeURIComponent("/command-line")}`);
  const [dist, grants] = await Promise.all([
    readCliDist(),
    listGrantsForSession(getDb(), {
      userId: session.user.id,
      groups: session.user.groups,
      connectionId: session.idp.id,
    }),
  ]);
  const baseUrl = getEnv().JETWAY_BASE_URL;
  // `jetway configure`'s profile name for the person's first role (its default prefix), as an example.
  const first = grants[0];
  const exampleProfile = first
    ? `jetway-${first.accountAlias || first.accountId}-${first.roleName}`
    : "jetway-<account>-<role>";

  const install = dist
    ? [
        "mkdir -p ~/.local/bin",
        `curl -fsSL ${baseUrl}/cli/jetway.mjs -o ~/.local/bin/jetway`,
        `echo "${dist.sha256}  $HOME/.local/bin/jetway" | sha256sum -c - && chmod +x ~/.local/bin/jetway`,
      ].join("\n")
    : "";
  const steps: SetupStep[] = [
    ...(dist
      ? [
          {
            title: "Install",
            description: (
              <>
                Downloads <code>jetway</code> (one file; it needs Node.js 20 or later), checks its SHA-256 and makes it
                executable. On macOS use <code className="whitespace-nowrap">shasum -a 256 -c -</code> for{" "}
                <code className="whitespace-nowrap">sha256sum -c -</code>. If <code>~/.local/bin</code> is not on your{" "}
                <code>PATH</code>, add it.
              </>
            ),
            code: install,
            copyLabel: "Copy the install commands",
          },
        ]
      : []),
    {
      title: "Sign in",
      description: (
        <>
          Shows a code and opens this Jetway in your browser (over SSH it prints the link): check that the code matches
          and approve. The sign-in lasts as long as your portal session; <code>jetway logout</code> ends it.
        </>
      ),
      code: `jetway login --url ${baseUrl}`,
      copyLabel: "Copy the sign-in command",
    },
    {
      title: "Write AWS CLI profiles",
      description: (
        <>
          Adds one profile per role to <code>~/.aws/config</code> in a block marked for this Jetway; run it again when
          your roles change. <code>--dry-run</code> shows the change first.
        </>
      ),
      code: "jetway configure",
      copyLabel: "Copy the configure command",
    },
    {
      title: "Use AWS",
      description: (
        <>Any AWS tool that reads profiles now gets short-term credentials from Jetway, renewed when they run out.</>
      ),
      code: `aws sts get-caller-identity --profile ${exampleProfile}`,
      copyLabel: "Copy the AWS CLI example",
    },
  ];

  return (
    <PageShell
      actions={
        <div className="flex flex-wrap items-center justify-end gap-x-4 gap-y-2">
          <Link href="/" className="text-sm font-medium text-brand-700 hover:underline">
            Your roles
          </Link>
          <SignOutButton />
        </div>
      }
    >
      <h1 className="mb-2 text-2xl font-semibold text-slate-900">Command line</h1>
      <p className="mb-8 max-w-3xl text-slate-700">
        The <code>jetway</code> command gives the AWS CLI, Terraform and the SDKs short-term credentials for your roles,
        with the same rules as this portal: no long-term access keys on your machine.
      </p>
      {dist ? (
        <section aria-labelledby="download-heading" className="mb-8">
          <h2 id="download-heading" className="sr-only">
            Download
          </h2>
          <CliChecksum sha256={dist.sha256} />
        </section>
      ) : (
        <p
          role="status"
          data-testid="cli-not-built"
          className="mb-8 rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-950"
        >
          The command-line tool is not built on this server yet, so it cannot be downloaded here. Ask your
          administrator: it comes with <code>npm run build</code>.
        </p>
      )}
      <section aria-labelledby="setup-heading" className="mb-10">
        <h2 id="setup-heading" className="mb-4 text-xl font-semibold text-slate-900">
          Set up in a minute
        </h2>
        <CommandLineSetup steps={steps} />
      </section>
      <section aria-labelledby="more-heading" className="max-w-3xl">
        <h2 id="more-heading" className="mb-3 text-xl font-semibold text-slate-900">
          More
        </h2>
        <ul className="list-disc space-y-2 pl-5 text-slate-700">
          <li>
            <code>jetway roles</code> lists your roles; <code>jetway env --account A --role R</code> prints{" "}
            <code>export</code> lines; <code>jetway console --account A --role R</code> opens the console.
          </li>
          <li>
            <code>jetway --help</code> explains every command and its exit codes;{" "}
            <code>jetway &lt;command&gt; --help</code> each one.
          </li>
        </ul>
      </section>
      <section aria-labelledby="everywhere-heading" className="mt-10 max-w-3xl">
        <h2 id="everywhere-heading" className="mb-3 text-xl font-semibold text-slate-900">
          Lost a laptop?
        </h2>
        <p className="mb-4 text-slate-700">
          Signing out everywhere ends your Jetway sign-ins in every browser and every terminal at once. Credentials
          already handed to the AWS CLI run out by themselves within the hour.
        </p>
        <SignOutButton everywhere />
      </section>
    </PageShell>
  );
}
