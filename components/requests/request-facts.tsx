import type { AccessRequestView } from "@/lib/access/access-request-view";
import type { DecidableRequest } from "@/lib/access/access-queries";
import { formatDate } from "@/lib/format/date";
import { formatDuration } from "@/lib/format/duration";
import { RoleLine } from "./role-line";

const when = (d: Date) => <time dateTime={d.toISOString()}>{formatDate(d, "minute", { utc: true })}</time>;

function Fact({ term, children, testId }: { term: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[12rem_minmax(0,1fr)] sm:gap-4">
      <dt className="text-sm font-medium text-slate-700">{term}</dt>
      <dd className="min-w-0 text-sm break-words text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** The requester as an approver needs to know them: name, email, NameID and the IdP they signed in with. */
export function RequesterText({ request }: { request: AccessRequestView }) {
  const { requester } = request;
  return (
    <>
      <span className="font-semibold">{requester.name}</span>
      {requester.email && requester.email !== requester.name && <> ({requester.email})</>}
      <span className="text-slate-700">
        {" "}
        through {requester.idpName}
        {requester.nameId !== requester.name && requester.nameId !== requester.email && (
          <>
            , NameID <code className="break-all">{requester.nameId}</code>
          </>
        )}
      </span>
    </>
  );
}

/** What an approver weighs besides the request itself: how often, and what the requester holds already. */
export function ApproverContext({ request }: { request: DecidableRequest }) {
  return (
    <>
      <Fact term="Asked for this role" testId="requests-in-90-days">
        {request.requestsIn90Days === 1
          ? "For the first time in 90 days"
          : `${request.requestsIn90Days} times in 90 days (this one included)`}
      </Fact>
      <Fact term="Holds now" testId="current-access">
        {request.currentAccess.length === 0 ? (
          "No other AWS role"
        ) : (
          <ul className="space-y-0.5">
            {request.currentAccess.map((a) => (
              <li key={`${a.kind} ${a.accountAlias} ${a.roleName}`}>
                {a.roleName} in {a.accountAlias}
                {a.kind === "grant" && <span className="text-slate-700"> (granted for a while)</span>}
              </li>
            ))}
          </ul>
        )}
      </Fact>
    </>
  );
}

/** A request's facts as a description list: who, what, why, how long, and what happened to it. */
export function RequestFacts({
  request,
  decidable,
  showRole = true,
}: {
  request: AccessRequestView;
  /** The approver's extra facts, when the viewer may decide it. */
  decidable?: DecidableRequest;
  showRole?: boolean;
}) {
  const r = request;
  return (
    <dl className="divide-y divide-slate-100">
      <Fact term="Requester" testId="requester">
        <RequesterText request={r} />
      </Fact>
      {showRole && (
        <Fact term="Role">
          <RoleLine request={r} />
          {r.label && <span className="block text-slate-700">{r.label}</span>}
          <code className="block text-xs break-all text-slate-600">{r.roleArn}</code>
        </Fact>
      )}
      <Fact term="Reason" testId="request-reason">
        {r.reason ? (
          <span className="whitespace-pre-wrap">{r.reason}</span>
        ) : (
          <span className="text-slate-700">None given</span>
        )}
      </Fact>
      {r.ticket && (
        <Fact term="Ticket" testId="request-ticket">
          <code>{r.ticket}</code>
        </Fact>
      )}
      <Fact term="Duration">{formatDuration(r.durationSeconds)}</Fact>
      <Fact term="Asked">{when(r.createdAt)}</Fact>
      {decidable && <ApproverContext request={decidable} />}
      <Fact term="Approvals" testId="approvals">
        {r.breakGlass ? (
          "None: activated with break-glass"
        ) : (
          <>
            {r.approvals.length} of {r.approvalsRequired}
            {r.approvals.length > 0 && (
              <ul className="mt-1 space-y-0.5">
                {r.approvals.map((a) => (
                  <li key={`${a.approverName} ${a.at.toISOString()}`}>
                    {a.approverName}, {when(a.at)}
                    {a.comment && <>: “{a.comment}”</>}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Fact>
      {r.activatedAt && <Fact term="Active from">{when(r.activatedAt)}</Fact>}
      {r.expiresAt && <Fact term={r.state === "active" ? "Ends" : "Was to end"}>{when(r.expiresAt)}</Fact>}
      {/* An approval is listed above; a denial, a cancellation or a revocation is said here. */}
      {r.decidedAt && (r.state === "denied" || r.state === "cancelled" || r.state === "revoked") && (
        <Fact term={r.state === "cancelled" ? "Cancelled" : r.state === "revoked" ? "Revoked" : "Decided"}>
          {r.decidedBy ? <>{r.decidedBy}, </> : null}
          {when(r.decidedAt)}
          {r.decisionComment && <span className="block whitespace-pre-wrap">“{r.decisionComment}”</span>}
        </Fact>
      )}
      {r.breakGlass && (
        <Fact term="Review" testId="review">
          {r.reviewedAt ? (
            <>
              Reviewed by {r.reviewedBy ?? "an approver"}, {when(r.reviewedAt)}
            </>
          ) : (
            "Not reviewed yet"
          )}
        </Fact>
      )}
    </dl>
  );
}
