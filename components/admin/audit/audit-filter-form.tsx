import { FilterActions } from "@/components/admin/filter-actions";
import { FormField, inputClass } from "@/components/admin/form-field";
import type { AuditFilters } from "@/lib/admin/audit/audit-filters";
import { AUDIT_CATEGORIES, auditEventTypesIn, type AuditCategory } from "@/lib/audit/audit-event-types";

const CATEGORIES = Object.keys(AUDIT_CATEGORIES) as AuditCategory[];

/** The audit log's filters (a GET form): a value the filters refused is shown with its error. */
export function AuditFilterForm({ filters, errors }: { filters: AuditFilters; errors: Record<string, string> }) {
  const err = (k: string) => (errors[k] ? [errors[k]] : undefined);
  const a11y = (k: string) => ({
    "aria-invalid": errors[k] ? true : undefined,
    "aria-describedby": errors[k] ? `${k}-error` : undefined,
  });
  const text = (id: "user" | "account" | "role", label: string) => (
    <FormField id={id} label={label} errors={err(id)}>
      <input
        id={id}
        name={id}
        defaultValue={filters[id] ?? ""}
        className={inputClass}
        autoComplete="off"
        {...a11y(id)}
      />
    </FormField>
  );
  return (
    <form
      method="get"
      aria-label="Filter the audit log"
      className="mb-6 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4"
    >
      {text("user", "User (NameID contains)")}
      {text("account", "Account (alias or id)")}
      {text("role", "Role (name or ARN)")}
      <FormField id="category" label="Kind" errors={err("category")}>
        <select
          id="category"
          name="category"
          defaultValue={filters.category ?? ""}
          className={inputClass}
          {...a11y("category")}
        >
          <option value="">All events</option>
          {CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {AUDIT_CATEGORIES[category]}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="type" label="Event" errors={err("type")}>
        <select id="type" name="type" defaultValue={filters.type ?? ""} className={inputClass} {...a11y("type")}>
          <option value="">Any event</option>
          {CATEGORIES.map((category) => (
            <optgroup key={category} label={AUDIT_CATEGORIES[category]}>
              {auditEventTypesIn(category).map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </FormField>
      <FormField id="result" label="Result" errors={err("result")}>
        <select
          id="result"
          name="result"
          defaultValue={filters.result ?? ""}
          className={inputClass}
          {...a11y("result")}
        >
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </FormField>
      <FormField id="from" label="From (UTC day)" errors={err("from")}>
        <input
          id="from"
          name="from"
          type="date"
          defaultValue={filters.from ?? ""}
          className={inputClass}
          {...a11y("from")}
        />
      </FormField>
      <FormField id="to" label="To (UTC day, inclusive)" errors={err("to")}>
        <input id="to" name="to" type="date" defaultValue={filters.to ?? ""} className={inputClass} {...a11y("to")} />
      </FormField>
      <FilterActions clearHref="/admin/audit" filtered={Object.values(filters).some(Boolean)} />
    </form>
  );
}
