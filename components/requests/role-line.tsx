import type { AccessRequestView } from "@/lib/access/access-request-view";
import { EnvironmentBadge } from "../portal/environment-badge";

/** "Admin in prod 111111111111 [production]": the role a request is for. */
export function RoleLine({ request, link }: { request: AccessRequestView; link?: string }) {
  const name = (
    <>
      <span className="font-semibold text-slate-900">{request.roleName}</span> in{" "}
      <span className="font-medium text-slate-900">{request.accountAlias}</span>
    </>
  );
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
      {link ? (
        <a href={link} className="text-slate-800 underline decoration-slate-400 hover:decoration-brand-600">
          {name}
        </a>
      ) : (
        <span className="text-slate-800">{name}</span>
      )}
      <span className="font-mono text-xs text-slate-600">{request.accountId}</span>
      {request.environment && request.environmentColor && (
        <EnvironmentBadge environment={request.environment} color={request.environmentColor} />
      )}
    </span>
  );
}
