import Link from "next/link";
import type { MappingListItem } from "@/lib/admin/mappings/list-mappings";
import { formatDuration } from "@/lib/format/duration";
import { DataTable } from "./data-table";

/** Mappings as a table (scrolls sideways on narrow screens), each with its edit link. */
export function MappingTable({
  mappings,
  highlight,
  emptyText,
  showAccount = true,
}: {
  mappings: MappingListItem[];
  highlight?: string;
  emptyText: string;
  showAccount?: boolean;
}) {
  if (mappings.length === 0) {
    return (
      <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700" data-testid="mappings-empty">
        {emptyText}
      </p>
    );
  }
  return (
    <DataTable caption="Mappings" minWidth="min-w-[48rem]">
      <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
        <tr>
          <th scope="col" className="px-4 py-3 font-medium">
            Group or pattern
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            Role
          </th>
          {showAccount && (
            <th scope="col" className="px-4 py-3 font-medium">
              Account
            </th>
          )}
          <th scope="col" className="px-4 py-3 font-medium">
            IdP
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            Session
          </th>
          <th scope="col" className="px-4 py-3 font-medium">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {mappings.map((m) => (
          <tr
            key={m.id}
            data-testid="mapping-row"
            data-mapping-id={m.id}
            className={m.id === highlight ? "bg-brand-50" : undefined}
          >
            <td className="px-4 py-3 align-top">
              <span className="break-all font-mono text-slate-900">{m.match}</span>
              {m.kind === "pattern" && (
                <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">pattern</span>
              )}
              {m.label && <p className="text-slate-600">{m.label}</p>}
            </td>
            <td className="px-4 py-3 align-top">
              <span className="break-all font-mono text-slate-800">{m.roleArn}</span>
              <MappingAccess mapping={m} />
            </td>
            {showAccount && (
              <td className="px-4 py-3 align-top text-slate-800">
                {m.accountAlias ? (
                  <Link href={`/admin/accounts/${m.accountId}`} className="text-brand-700 hover:underline">
                    {m.accountAlias}
                  </Link>
                ) : (
                  <span className="text-slate-600">from the group</span>
                )}
              </td>
            )}
            <td className="px-4 py-3 align-top text-slate-800" data-testid="mapping-idp">
              {m.connectionName ?? (
                <span className="font-medium text-amber-900">no IdP: grants nothing until you choose one</span>
              )}
            </td>
            <td className="whitespace-nowrap px-4 py-3 align-top text-slate-800">
              {formatDuration(m.sessionDuration)}
            </td>
            <td className="px-4 py-3 text-right align-top">
              <Link
                href={`/admin/mappings/${m.id}`}
                className="font-medium text-brand-700 hover:underline"
                aria-label={`Edit mapping ${m.match} → ${m.roleArn}`}
              >
                Edit
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** An eligible rule's badge and approvers (just-in-time access); nothing for a standing one. */
function MappingAccess({ mapping }: { mapping: MappingListItem }) {
  if (mapping.access === "standing") return null;
  if (mapping.access === "unreadable") {
    return (
      <p className="font-medium text-amber-900" data-testid="mapping-access">
        Access settings unreadable: grants nothing until saved again
      </p>
    );
  }
  return (
    <p className="mt-1 text-slate-700" data-testid="mapping-access">
      <span className="mr-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-900">Eligible</span>
      <span className="text-sm">approved by {mapping.approvers.join(", ")}</span>
    </p>
  );
}
