"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { resultToState } from "@/lib/admin/action-state";
import { createIdpConnection, newIdpFormSchema } from "@/lib/admin/idps/create-idp-connection";
import { idpOptionsFormSchema } from "@/lib/admin/idps/idp-options-input";
import { refreshIdpMetadata } from "@/lib/saml/refresh-idp-metadata";
import { scopeAllRules } from "@/lib/admin/idps/scope-all-rules";
import { setIdpEnabled } from "@/lib/admin/idps/set-idp-enabled";
import { updateIdpOptions } from "@/lib/admin/idps/update-idp-options";
import { adminFormAction } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";

// Every action checks the caller (adminFormAction) before reading its input.

export const createIdpAction = adminFormAction("idp.create", newIdpFormSchema, async (input, actor, values) => {
  const result = await createIdpConnection(getDb(), input, actor);
  // The pasted XML is not echoed back in the state (the form keeps its own copy).
  if (!result.ok) return resultToState(result, { ...values, metadataXml: "" });
  redirect(`/admin/idps/${encodeURIComponent(result.value.id)}?notice=created`);
});

/** "Scope all to {IdP}" on /admin/idps/new: every rule that names no IdP gets the only one (issue 9, item 3). */
export const scopeAllRulesAction = adminFormAction(
  "config.scope_rules",
  z.object({ connectionId: z.string().min(1).max(64) }),
  async (input, actor, values) => {
    const result = await scopeAllRules(getDb(), input.connectionId, actor);
    if (!result.ok) return resultToState(result, values);
    redirect("/admin/idps/new?notice=scoped");
  },
);

const versioned = { connectionId: z.string().min(1).max(64), version: z.coerce.number().int().min(1) };

export const updateIdpOptionsAction = adminFormAction(
  "idp.update",
  idpOptionsFormSchema.extend(versioned),
  async (input, actor, values) => {
    const { connectionId, version, ...form } = input;
    const result = await updateIdpOptions(getDb(), connectionId, version, form, actor);
    if (!result.ok) return resultToState(result, values);
    redirect(`/admin/idps/${encodeURIComponent(connectionId)}?notice=updated`);
  },
);

export const setIdpEnabledAction = adminFormAction(
  "idp.enable",
  z.object({ ...versioned, enabled: z.enum(["true", "false"]) }),
  async (input, actor, values) => {
    const enabled = input.enabled === "true";
    const result = await setIdpEnabled(getDb(), input.connectionId, input.version, enabled, actor);
    if (!result.ok) return resultToState(result, values);
    redirect(`/admin/idps/${encodeURIComponent(input.connectionId)}?notice=${enabled ? "enabled" : "disabled"}`);
  },
);

export const refreshIdpMetadataAction = adminFormAction(
  "idp.metadata_refresh",
  z.object({ connectionId: versioned.connectionId }),
  async (input, actor, values) => {
    const outcome = await refreshIdpMetadata(getDb(), input.connectionId, { actor, trigger: "admin" });
    switch (outcome.status) {
      case "refreshed":
        redirect(
          `/admin/idps/${encodeURIComponent(input.connectionId)}?notice=${outcome.changed ? "refreshed" : "refreshed-unchanged"}`,
        );
      case "failed":
        return {
          status: "error",
          message: `The metadata URL could not be read, so nothing changed (the current certificates are kept): ${outcome.error}`,
          fieldErrors: {},
          values,
        };
      case "no_url":
        return {
          status: "error",
          message: "This identity provider's metadata was not given as a URL: there is nothing to refresh.",
          fieldErrors: {},
          values,
        };
      case "not_found":
        return { status: "error", message: "This identity provider no longer exists.", fieldErrors: {}, values };
      case "skipped":
        return {
          status: "error",
          message: "The identity provider changed while its metadata was being read. Reload and try again.",
          fieldErrors: {},
          values,
        };
    }
  },
);
