import { goLink } from "@/lib/aws/console-services";
import type { PortalRole } from "./portal-role";

/** A PortalRole's fields that are its account's: the same for every role of the account. */
const ACCOUNT_FIELDS = [
  "accountId",
  "accountAlias",
  "partition",
  "partitionLabel",
  "defaultRegion",
  "environment",
  "color",
  "confirmOpen",
] as const satisfies readonly (keyof PortalRole)[];

type AccountFields = Pick<PortalRole, (typeof ACCOUNT_FIELDS)[number]>;

/** One role without its account's fields: `account` indexes `PackedPortalRoles.accounts`; `href` only when not the usual /go link. */
export type PackedPortalRole = Omit<PortalRole, keyof AccountFields | "href"> & { account: number; href?: string };

/**
 * The portal's roles as the page sends them to the browser (the props of the client component,
 * serialized into the page's RSC payload): each account's fields once, not once per role. With 500
 * roles in 50 accounts this is about a third of the plain list, which the browser parses and
 * hydrates on every load.
 */
export interface PackedPortalRoles {
  accounts: AccountFields[];
  roles: PackedPortalRole[];
}

export function packPortalRoles(roles: readonly PortalRole[]): PackedPortalRoles {
  const accounts: AccountFields[] = [];
  const index = new Map<string, number>();
  const packed = roles.map((role) => {
    const {
      accountId,
      accountAlias,
      partition,
      partitionLabel,
      defaultRegion,
      environment,
      color,
      confirmOpen,
      href,
      ...own
    } = role;
    const account = {
      accountId,
      accountAlias,
      partition,
      partitionLabel,
      defaultRegion,
      environment,
      color,
      confirmOpen,
    };
    // Keyed by every account field, not only the id: the packing is lossless whatever the roles hold.
    const key = JSON.stringify(ACCOUNT_FIELDS.map((field) => account[field]));
    let at = index.get(key);
    if (at === undefined) {
      at = accounts.push(account) - 1;
      index.set(key, at);
    }
    return href === goLink(accountAlias, own.roleName) ? { ...own, account: at } : { ...own, account: at, href };
  });
  return { accounts, roles: packed };
}

export function unpackPortalRoles({ accounts, roles }: PackedPortalRoles): PortalRole[] {
  return roles.map(({ account: at, href, ...own }) => {
    const account = accounts[at]!;
    return { ...account, ...own, href: href ?? goLink(account.accountAlias, own.roleName) };
  });
}
