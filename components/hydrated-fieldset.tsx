"use client";

import type { ReactNode } from "react";

import { useHydrated } from "./use-hydrated";

/**
 * The fields of a form that needs JavaScript (controlled inputs, live previews), disabled until React
 * has hydrated them: text typed into the server-rendered markup first would never reach the form's
 * state and be overwritten at the next render.
 */
export function HydratedFieldset({ className, children }: { className?: string; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <fieldset disabled={!hydrated} className={`min-w-0 ${className ?? ""}`}>
      {children}
    </fieldset>
  );
}
