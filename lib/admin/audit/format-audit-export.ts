import type { AuditRow } from "./list-audit-events";

const COLUMNS = [
  "at",
  "type",
  "result",
  "nameId",
  "userId",
  "connectionId",
  "ip",
  "userAgent",
  "reason",
  "referenceId",
  "details",
] as const;

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (=, +, -, @,
 * tab, CR) gets a leading apostrophe: audit fields carry text from IdPs and browsers.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ""
      : value instanceof Date
        ? value.toISOString()
        : typeof value === "string"
          ? value
          : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditRowsToCsv(rows: AuditRow[]): string {
  const lines = [COLUMNS.join(",")];
  for (const row of rows) lines.push(COLUMNS.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function auditRowsToJson(
  rows: AuditRow[],
  meta: { filters: Record<string, unknown>; truncated: boolean; exportedAt: Date },
): string {
  return JSON.stringify(
    { exportedAt: meta.exportedAt.toISOString(), filters: meta.filters, truncated: meta.truncated, events: rows },
    null,
    2,
  );
}
