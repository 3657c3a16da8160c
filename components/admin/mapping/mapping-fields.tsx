import type { ChangeEvent } from "react";
import type { FieldErrors } from "@/lib/admin/action-state";
import type { AccessFormValues } from "@/lib/admin/mappings/access-input";
import { fieldA11y, FormField, inputClass } from "../form-field";

/** The mapping form's values, as its inputs hold them (with the Access fieldset's: access-fields.tsx). */
export interface MappingFormValues extends AccessFormValues {
  kind: "group" | "pattern";
  group: string;
  groupPattern: string;
  roleArn: string;
  idp: string;
  label: string;
  sessionDuration: string;
}

/** What each field needs from the form: the values, the refused fields' messages, and a change handler per field. */
export interface MappingFieldProps {
  values: MappingFormValues;
  errors: FieldErrors;
  set: (
    field: keyof MappingFormValues,
  ) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => void;
  /** A checkbox's handler: its checked state is the value. */
  toggle: (field: keyof MappingFormValues) => (e: ChangeEvent<HTMLInputElement>) => void;
}

const a11y = (errors: FieldErrors, id: string) => fieldA11y(id, { hint: true, errors: errors[id] });

/** Exact group or group pattern (radio buttons). */
export function RuleKindChoice({ values, set }: Pick<MappingFieldProps, "values" | "set">) {
  const kinds = [
    ["group", "Exact group"],
    ["pattern", "Group pattern"],
  ] as const;
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium text-slate-800">Rule type</legend>
      <div className="flex flex-wrap gap-4">
        {kinds.map(([kind, label]) => (
          <label key={kind} className="flex items-center gap-2 text-slate-800">
            <input
              type="radio"
              name="kind"
              value={kind}
              checked={values.kind === kind}
              onChange={set("kind")}
              className="h-4 w-4 accent-brand-600"
            />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The IdP group (exact rule) or the group pattern, whichever the rule type asks for. */
export function GroupField({ values, errors, set }: MappingFieldProps) {
  if (values.kind === "group") {
    return (
      <FormField
        id="group"
        label="IdP group"
        hint="Exactly as the identity provider sends it (case-sensitive)."
        errors={errors.group}
      >
        <input
          {...a11y(errors, "group")}
          value={values.group}
          onChange={set("group")}
          className={inputClass}
          autoComplete="off"
          spellCheck={false}
        />
      </FormField>
    );
  }
  return (
    <FormField
      id="groupPattern"
      label="Group pattern"
      hint={
        <>
          <code>{"{account}"}</code> matches an account id or alias, <code>{"{role}"}</code> a role name. Example:{" "}
          <code>{"aws-{account}-{role}"}</code>
        </>
      }
      errors={errors.groupPattern}
    >
      <input
        {...a11y(errors, "groupPattern")}
        value={values.groupPattern}
        onChange={set("groupPattern")}
        className={`${inputClass} font-mono`}
        autoComplete="off"
        spellCheck={false}
      />
    </FormField>
  );
}

/** The role ARN, with the placeholders a pattern may use and the accounts it may name. */
export function RoleArnField({
  values,
  errors,
  set,
  accounts,
}: MappingFieldProps & { accounts: { id: string; alias: string; partition: string }[] }) {
  return (
    <FormField
      id="roleArn"
      label="IAM role ARN"
      hint={
        <>
          {values.kind === "pattern" ? (
            <>
              May use <code>{"{account}"}</code> and <code>{"{role}"}</code>, e.g.{" "}
              <code>{"arn:aws:iam::{account}:role/{role}"}</code>.{" "}
            </>
          ) : null}
          Accounts:{" "}
          {accounts.length === 0
            ? "none yet"
            : accounts.map((a) => `${a.alias} ${a.id}${a.partition !== "aws" ? ` (${a.partition})` : ""}`).join(" · ")}
        </>
      }
      errors={errors.roleArn}
    >
      <input
        {...a11y(errors, "roleArn")}
        value={values.roleArn}
        onChange={set("roleArn")}
        className={`${inputClass} font-mono`}
        autoComplete="off"
        spellCheck={false}
        placeholder="arn:aws:iam::111111111111:role/ReadOnly"
      />
    </FormField>
  );
}

/** The IdP whose users the rule is for: required once there are several (issue 9, item 3). */
export function IdpField({
  values,
  errors,
  set,
  connections,
}: MappingFieldProps & { connections: { id: string; name: string }[] }) {
  const several = connections.length > 1;
  return (
    <FormField
      id="idp"
      label="Identity provider"
      hint={
        several
          ? "Required: the rule applies to users of this IdP only, so another IdP sending the same group name gets nothing."
          : "The rule applies to users of this IdP only. Once a second IdP is added, every rule must name one."
      }
      errors={errors.idp}
    >
      <select {...a11y(errors, "idp")} value={values.idp} onChange={set("idp")} className={inputClass}>
        {/* With several IdPs there is no "all": the empty choice only asks for one. */}
        <option value="" disabled={several}>
          {several
            ? "Choose an identity provider…"
            : connections.length === 1
              ? `Not named (it is ${connections[0]!.name}'s, the only identity provider)`
              : "All identity providers"}
        </option>
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.id})
          </option>
        ))}
      </select>
    </FormField>
  );
}

/** The optional label (the portal tile's) and the session duration. */
export function LabelAndDurationFields({ values, errors, set }: MappingFieldProps) {
  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <FormField id="label" label="Label (optional)" hint="Shown on the portal tile." errors={errors.label}>
        <input
          {...a11y(errors, "label")}
          value={values.label}
          onChange={set("label")}
          className={inputClass}
          autoComplete="off"
        />
      </FormField>
      <FormField
        id="sessionDuration"
        label="Session duration (seconds)"
        hint="900 (15 min) to 43200 (12 h)."
        errors={errors.sessionDuration}
      >
        <input
          {...a11y(errors, "sessionDuration")}
          value={values.sessionDuration}
          onChange={set("sessionDuration")}
          className={inputClass}
          inputMode="numeric"
          autoComplete="off"
        />
      </FormField>
    </div>
  );
}
