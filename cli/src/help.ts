import { version } from "../../package.json";

export const CLI_VERSION = version;

export const MAIN_HELP = `jetway ${CLI_VERSION}: AWS credentials from Jetway for the command line

Usage: jetway <command> [options]

Commands:
  login        Sign in through your browser (device code); saves a token for this Jetway
  logout       Revoke the token on Jetway and delete it here
  roles        List the AWS roles you may use
  credentials  Print credentials for one role in the AWS credential_process format
  configure    Write an AWS CLI profile per role into ~/.aws/config (a managed block)
  env          Print export lines with credentials for one role
  console      Open the AWS console as one role in your browser

Options for every command:
  --url URL    Jetway's address (default: $JETWAY_URL, else the last one you signed in to)
  -h, --help   Help for a command: jetway <command> --help
  --version    Print jetway's version

Exit codes:
  0  ok
  1  usage error (unknown option, missing value, bad duration or URL)
  2  sign-in needed: none, expired or revoked; run \`jetway login\`
  3  refused by Jetway (not entitled, denied in the browser, rate-limited)
  4  network or server error (the message names the URL)

Files:
  $XDG_CONFIG_HOME/jetway or ~/.config/jetway   sign-ins (one per Jetway URL), mode 0600
  $XDG_CACHE_HOME/jetway or ~/.cache/jetway     cached credentials, mode 0600
  $AWS_CONFIG_FILE or ~/.aws/config             where \`jetway configure\` writes profiles
`;

export const COMMAND_HELP: Record<string, string> = {
  login: `Usage: jetway login [--url URL] [--no-browser]

Signs in with the OAuth device flow: jetway shows a code and a page of Jetway; you open the page
(jetway opens your browser where it can), sign in as usual, check that the code matches and approve.
The token is saved for this Jetway URL (mode 0600) and lasts as long as a portal session.

  --url URL      Jetway's address, e.g. https://jetway.example.com (default: $JETWAY_URL or the last one)
  --no-browser   Only print the page and code (over SSH, in a container)
`,
  logout: `Usage: jetway logout [--url URL]

Revokes the token on Jetway, then deletes it and the cached credentials of that Jetway here.
`,
  roles: `Usage: jetway roles [--url URL] [--json]

Lists the AWS roles your groups grant: account, alias, role, label and longest session.

  --json   Print the list as JSON
`,
  credentials: `Usage: jetway credentials --account ACCOUNT --role ROLE [--duration 1h] [--url URL]

Prints short-term AWS credentials as JSON in the credential_process format. They are cached
(mode 0600) until 5 minutes before they expire, so the AWS CLI calling this on every command costs
one STS call per session; each call still checks with Jetway that your sign-in and the role hold.

  --account ACCOUNT   Account alias or id
  --role ROLE         Role name
  --duration D        Session length: 1h, 90m, 3600 (seconds); 15m to 12h, capped by the role
`,
  configure: `Usage: jetway configure [--prefix jetway-] [--dry-run] [--url URL]

Writes one AWS CLI profile per role (named <prefix><account alias>-<role>) with a credential_process
line into the AWS config file ($AWS_CONFIG_FILE or ~/.aws/config), inside a block marked with this
Jetway's URL. Run it again to follow changes to your roles: it rewrites only that block.

  --prefix P   Profile name prefix (default: jetway-)
  --dry-run    Show the change as a diff and write nothing
`,
  env: `Usage: jetway env --account ACCOUNT --role ROLE [--duration 1h] [--url URL]

Prints export lines for the role's credentials, for tools that read environment variables:
  eval "$(jetway env --account prod --role ReadOnly)"

  --account ACCOUNT   Account alias or id
  --role ROLE         Role name
  --duration D        Session length: 1h, 90m, 3600 (seconds)
`,
  console: `Usage: jetway console --account ACCOUNT --role ROLE [--destination URL] [--no-browser] [--url URL]

Opens the AWS console as the role through Jetway's /go link (your browser's Jetway sign-in is used),
and prints the link.

  --account ACCOUNT   Account alias or id
  --role ROLE         Role name
  --destination URL   A console page to land on, e.g. https://console.aws.amazon.com/s3/
  --no-browser        Only print the link
`,
};
