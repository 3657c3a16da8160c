"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server render and during hydration, true once React has attached the page's
 * handlers. Controls that only work with JavaScript stay disabled until then: a click or a keystroke
 * that reaches the server-rendered markup first would otherwise be lost without a word (a slow
 * network, a busy laptop, a loaded CI machine).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
