import { parseRoleArn } from "@/lib/aws/arn";
import { STANDING, type AccessMode } from "@/lib/access/access-settings";
import {
  compileGroupPattern,
  resolveAccessForGroups,
  type AccountInfo,
  type MappingRule,
} from "@/lib/broker/resolve-roles-for-groups";
import { ruleAppliesTo } from "@/lib/config/rule-scope";

export interface PreviewDraft {
  kind: "group" | "pattern";
  group: string;
  groupPattern: string;
  roleArn: string;
  idp: string;
  /** Standing (the default: the group is granted the role) or eligible (its members may request it). */
  access?: AccessMode;
  /** The mapping being edited, left out of the existing rules so it does not shadow its own draft. */
  editingId?: string;
}

export type PreviewLine =
  | { group: string; outcome: "grants"; roleArn: string; accountAlias: string; roleName: string }
  /** An eligible draft: the group's members may request the role (just-in-time access). */
  | { group: string; outcome: "eligible"; roleArn: string; accountAlias: string; roleName: string }
  | { group: string; outcome: "no-match" }
  | { group: string; outcome: "claimed"; claimedBy: string }
  | { group: string; outcome: "no-grant"; reason: string };

const DRAFT_ID = "__draft__";
const NO_IDP_REASON =
  "the rule names no identity provider, and with several a rule that names none applies to nobody: choose one";

/**
 * What a draft rule would do with each sample group, computed by the broker itself
 * (resolveAccessForGroups: a standing draft grants its role, an eligible one makes it requestable;
 * with the existing exact rules so that a group they name is shown as spoken for, as at sign-in).
 * `unscopedRulesApply` as at sign-in (loadUnscopedRulesApply): a draft
 * naming no IdP while there are several grants nothing, and says so.
 */
export function previewMapping(args: {
  draft: PreviewDraft;
  sampleGroups: string[];
  accounts: AccountInfo[];
  mappings: MappingRule[];
  unscopedRulesApply: boolean;
}): PreviewLine[] {
  const { draft, accounts } = args;
  const draftRule: MappingRule = {
    id: DRAFT_ID,
    connectionId: draft.idp || null,
    group: draft.kind === "group" ? draft.group : null,
    groupPattern: draft.kind === "pattern" ? draft.groupPattern : null,
    roleArn: draft.roleArn,
    label: null,
    sessionDuration: 3600,
    // Who approves does not change what the rule matches: the preview needs the mode alone.
    settings: draft.access === "eligible" ? { ...STANDING, access: "eligible" } : STANDING,
  };
  const { unscopedRulesApply } = args;
  // Exact rules that apply to the same sign-ins as the draft claim their groups first (a draft
  // naming no IdP is the only IdP's, so every exact rule applies to its sign-ins).
  const exactRules = args.mappings.filter(
    (m) =>
      m.id !== draft.editingId &&
      m.group !== null &&
      (draftRule.connectionId === null ||
        ruleAppliesTo(m.connectionId, draftRule.connectionId, { unscopedRulesApply })),
  );
  const connectionId = draftRule.connectionId ?? DRAFT_ID;
  const draftApplies = draftRule.connectionId !== null || unscopedRulesApply;
  let regex: RegExp | null = null;
  if (draft.kind === "pattern") {
    try {
      regex = compileGroupPattern(draft.groupPattern, accounts);
    } catch {
      regex = null;
    }
  }
  const samples = [...new Set(args.sampleGroups.map((g) => g.trim()).filter(Boolean))].slice(0, 50);
  return samples.map((group): PreviewLine => {
    const matches = draft.kind === "group" ? group === draft.group : regex !== null && regex.test(group);
    if (!matches) return { group, outcome: "no-match" };
    if (!draftApplies) return { group, outcome: "no-grant", reason: NO_IDP_REASON };
    const claimer = draft.kind === "pattern" ? exactRules.find((m) => m.group === group) : undefined;
    if (claimer) return { group, outcome: "claimed", claimedBy: claimer.roleArn };
    const { standing, eligible } = resolveAccessForGroups({
      groups: [group],
      connectionId,
      mappings: [draftRule],
      accounts,
      unscopedRulesApply,
    });
    const grant = [...standing, ...eligible].find((g) => g.mappingId === DRAFT_ID);
    if (grant)
      return {
        group,
        outcome: draftRule.settings?.access === "eligible" ? "eligible" : "grants",
        roleArn: grant.roleArn,
        accountAlias: grant.accountAlias,
        roleName: grant.roleName,
      };
    return { group, outcome: "no-grant", reason: whyNoGrant(draftRule, group, regex, accounts) };
  });
}

/** The broker drops grants silently; the preview says why. */
function whyNoGrant(rule: MappingRule, group: string, regex: RegExp | null, accounts: AccountInfo[]): string {
  let roleArn = rule.roleArn;
  if (regex) {
    const match = regex.exec(group)?.groups ?? {};
    const account = accounts.find((a) => a.id === match.account || a.alias === match.account);
    roleArn = roleArn.replaceAll("{account}", account?.id ?? "{account}").replaceAll("{role}", match.role ?? "{role}");
  }
  try {
    const role = parseRoleArn(roleArn);
    const account = accounts.find((a) => a.id === role.accountId);
    if (!account) return `${roleArn}: account ${role.accountId} is not one of Jetway's accounts`;
    if (account.partition !== role.partition)
      return `${roleArn}: account ${account.alias} is in the ${account.partition} partition`;
    return `${roleArn}: account ${account.alias} has an unusable SAML provider ARN`;
  } catch (error) {
    return (error as { userMessage?: string }).userMessage ?? (error as Error).message;
  }
}
