/** A labelled form control with its hint and its errors, tied together for screen readers. */
export function FormField({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  errors?: string[];
  /** The control: give it id={id} and describedBy(id, …) from fieldA11y. */
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      )}
      {errors && errors.length > 0 && (
        <ul id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700" data-testid={`${id}-error`}>
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** aria-invalid and aria-describedby for the control of a FormField. */
export function fieldA11y(id: string, opts: { hint?: boolean; errors?: string[] }) {
  const invalid = !!opts.errors && opts.errors.length > 0;
  const describedBy = [opts.hint ? `${id}-hint` : "", invalid ? `${id}-error` : ""].filter(Boolean).join(" ");
  return { id, name: id, "aria-invalid": invalid || undefined, "aria-describedby": describedBy || undefined };
}

/** A checkbox with its label, hint and errors beside it, tied together for screen readers. */
export function CheckboxField({
  id,
  label,
  hint,
  checked,
  errors,
  onChange,
}: {
  id: string;
  label: React.ReactNode;
  hint: React.ReactNode;
  checked: boolean;
  errors?: string[];
  onChange: React.ChangeEventHandler<HTMLInputElement>;
}) {
  const invalid = !!errors && errors.length > 0;
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        name={id}
        type="checkbox"
        checked={checked}
        onChange={onChange}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ""}`}
        aria-invalid={invalid || undefined}
        className="mt-1 h-4 w-4 accent-brand-600"
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
        {invalid && (
          <ul id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700" data-testid={`${id}-error`}>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export const inputClass =
  "w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-slate-900 placeholder:text-slate-500 aria-[invalid=true]:border-red-600 aria-[invalid=true]:bg-red-50";

export const buttonClass =
  "inline-flex items-center justify-center rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60";

export const secondaryButtonClass =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60";

export const dangerButtonClass =
  "inline-flex items-center justify-center rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60";

/** A form-level message: an error (role=alert) or a confirmation (role=status). */
export function FormMessage({
  kind,
  children,
  testId,
}: {
  kind: "error" | "warning" | "success" | "info";
  children: React.ReactNode;
  testId?: string;
}) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-900",
    warning: "border-amber-200 bg-amber-50 text-amber-950",
    success: "border-green-200 bg-green-50 text-green-900",
    info: "border-slate-200 bg-white text-slate-800",
  }[kind];
  return (
    <div
      role={kind === "error" ? "alert" : "status"}
      data-testid={testId}
      className={`rounded-lg border px-4 py-3 text-sm ${styles}`}
    >
      {children}
    </div>
  );
}
