"use client";

import { memo } from "react";
import { EligibleRoleCard } from "./eligible-role-card";
import { RoleCard } from "./role-card";

/**
 * One role's tile, whichever way the person holds it: a role they may only request gets the
 * "Request access" tile (issue 14), every other the usual RoleCard.
 */
export const PortalTile = memo(function PortalTile(props: React.ComponentProps<typeof RoleCard>) {
  if (props.role.access?.kind === "eligible") {
    return (
      <EligibleRoleCard
        role={props.role}
        showAccount={props.showAccount}
        highlights={props.highlights}
        fromSearch={props.fromSearch}
      />
    );
  }
  return <RoleCard {...props} />;
});
