import type { EndpointHealth } from "@/lib/aws/endpoint-breakers";
import { formatDate } from "@/lib/format/date";
import { DataTable } from "./data-table";

const STATE_STYLE: Record<EndpointHealth["state"], string> = {
  closed: "bg-emerald-50 text-emerald-900",
  "half-open": "bg-amber-50 text-amber-900",
  open: "bg-red-50 text-red-900",
};
const STATE_TEXT: Record<EndpointHealth["state"], string> = {
  closed: "answering",
  "half-open": "trying again",
  open: "skipped (breaker open)",
};

/** The AWS endpoints this process has called and their circuit breakers (admin overview). */
export function AwsEndpointsTable({ endpoints }: { endpoints: EndpointHealth[] }) {
  if (endpoints.length === 0) {
    return (
      <p className="text-slate-700" data-testid="aws-endpoints-empty">
        No AWS endpoint called yet by this process.
      </p>
    );
  }
  return (
    <DataTable caption="AWS endpoints and their circuit breakers" minWidth="min-w-[48rem]" framed={false}>
      <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
        <tr>
          {["Service", "Region", "Endpoint", "State", "Failures in a row", "Last failure"].map((h) => (
            <th key={h} scope="col" className="px-4 py-3 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {endpoints.map((e) => (
          <tr key={`${e.kind} ${e.endpoint}`} data-testid="aws-endpoint-row" data-state={e.state}>
            <td className="px-4 py-3 text-slate-800">{e.kind === "sts" ? "STS" : "Sign-in"}</td>
            <td className="px-4 py-3 font-mono text-slate-800">{e.region}</td>
            <td className="break-all px-4 py-3 font-mono text-slate-800">{e.endpoint}</td>
            <td className="px-4 py-3">
              <span className={`rounded-full px-2 py-0.5 text-sm ${STATE_STYLE[e.state]}`}>{STATE_TEXT[e.state]}</span>
              {e.retryAt && (
                <span className="block text-sm text-slate-600">
                  next try {formatDate(new Date(e.retryAt), "second", { utc: true })}
                </span>
              )}
            </td>
            <td className="px-4 py-3 text-slate-800">{e.consecutiveFailures}</td>
            <td className="px-4 py-3 text-slate-800">
              {e.lastFailure ? (
                <>
                  {e.lastFailure}
                  {e.lastFailureAt && (
                    <span className="block text-sm text-slate-600">
                      {formatDate(new Date(e.lastFailureAt), "second", { utc: true })}
                    </span>
                  )}
                </>
              ) : (
                "none"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
