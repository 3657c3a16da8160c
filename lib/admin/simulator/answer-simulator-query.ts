import type { loadSimulatorData } from "./load-simulator-data";
import { simulateAccess, type AccessSimulation } from "./simulate-access";
import { whoCanReachRole, type RoleReach } from "./who-can-reach-role";

export type SimulatorData = Awaited<ReturnType<typeof loadSimulatorData>>;

/** The simulator's query string: a user, or groups through an IdP (forward); a role ARN (reverse). */
export interface SimulatorQuery {
  user?: string;
  groups?: string;
  idp?: string;
  role?: string;
}

export type ForwardAnswer = { title: string; result: AccessSimulation } | { error: string };
export type ReverseAnswer = { reach: RoleReach } | { error: string };

export interface SimulatorAnswers {
  /** The IdP the groups form shows: the one asked about, else the admin's own (the usual question is about colleagues). */
  idp: string;
  /** What the groups (or the user) can reach; null when nothing was asked. */
  forward: ForwardAnswer | null;
  /** Who can reach the role; null when nothing was asked. */
  reverse: ReverseAnswer | null;
  /** Mapped role ARNs without placeholders, sorted: suggestions for the reverse question. */
  knownRoles: string[];
}

/** The groups typed in the form: one per line (or comma-separated), blanks dropped. */
export function parseGroupList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((g) => g.trim())
    .filter(Boolean);
}

/** Answers what the simulator's query string asks, with the sentence to show when it cannot. */
export function answerSimulatorQuery(
  query: SimulatorQuery,
  data: SimulatorData,
  adminConnectionId: string,
): SimulatorAnswers {
  const connectionIds = data.connections.map((c) => c.id);
  const idp =
    query.idp ?? (connectionIds.includes(adminConnectionId) ? adminConnectionId : (data.connections[0]?.id ?? ""));
  return {
    idp,
    forward: answerForward(query, data, idp, connectionIds),
    reverse: query.role ? answerReverse(query.role, data) : null,
    knownRoles: [...new Set(data.mappings.filter((m) => !m.roleArn.includes("{")).map((m) => m.roleArn))].sort(),
  };
}

/** Forward: a user's last groups and connection, or groups typed in for a connection. */
function answerForward(
  query: SimulatorQuery,
  data: SimulatorData,
  idp: string,
  connectionIds: string[],
): ForwardAnswer | null {
  if (query.user) {
    const user = data.users.find((u) => u.id === query.user);
    if (!user) return { error: "No recently seen user has this id." };
    return {
      title: `${user.displayName ?? user.email ?? user.nameId} (${user.connectionId}), with the groups of their last sign-in`,
      result: simulateAccess({ groups: user.groups, connectionId: user.connectionId, ...data }),
    };
  }
  if (query.groups === undefined && query.idp === undefined) return null;
  const groups = parseGroupList(query.groups ?? "");
  if (!connectionIds.includes(idp)) return { error: `There is no identity provider "${idp}".` };
  if (groups.length === 0) return { error: "Enter at least one group." };
  return {
    title: `Groups ${groups.join(", ")} through ${idp}`,
    result: simulateAccess({ groups, connectionId: idp, ...data }),
  };
}

/** Reverse: who can reach a role (an ARN that does not parse is said so, in parseRoleArn's words). */
function answerReverse(roleArn: string, data: SimulatorData): ReverseAnswer {
  try {
    return { reach: whoCanReachRole({ roleArn, ...data }) };
  } catch (error) {
    return { error: (error as { userMessage?: string }).userMessage ?? "This is not a valid IAM role ARN." };
  }
}
