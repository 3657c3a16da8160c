"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { resultToState } from "@/lib/admin/action-state";
import { accountFormSchema } from "@/lib/admin/accounts/account-input";
import { createAccount } from "@/lib/admin/accounts/create-account";
import { deleteAccount } from "@/lib/admin/accounts/delete-account";
import { updateAccount } from "@/lib/admin/accounts/update-account";
import { adminFormAction } from "@/lib/admin/require-admin";
import { getDb } from "@/lib/db";

// Every action checks the caller (adminFormAction) before reading its input.

export const createAccountAction = adminFormAction(
  "account.create",
  accountFormSchema,
  async (input, actor, values) => {
    const result = await createAccount(getDb(), input, actor);
    if (!result.ok) return resultToState(result, values);
    redirect(`/admin/accounts/${result.value.id}?notice=created`);
  },
);

const versioned = { accountId: z.string().regex(/^\d{12}$/), version: z.coerce.number().int().min(1) };

export const updateAccountAction = adminFormAction(
  "account.update",
  accountFormSchema.omit({ id: true }).extend(versioned),
  async (input, actor, values) => {
    const { accountId, version, ...form } = input;
    const result = await updateAccount(getDb(), accountId, version, form, actor);
    if (!result.ok) return resultToState(result, values);
    redirect(`/admin/accounts/${accountId}?notice=updated`);
  },
);

export const deleteAccountAction = adminFormAction(
  "account.delete",
  z.object({ id: versioned.accountId, version: versioned.version }),
  async (input, actor, values) => {
    const result = await deleteAccount(getDb(), input.id, input.version, actor);
    if (!result.ok) return resultToState(result, values);
    redirect(`/admin/accounts?notice=deleted`);
  },
);
