"use client";

import { useEffect, useRef, useState } from "react";

import { useHydrated } from "./use-hydrated";

type CopyState = "idle" | "copied" | "failed";

/** How long the Clipboard API may take before the selection copy is tried instead (a prompt left open, a stuck clipboard). */
const CLIPBOARD_API_TIMEOUT_MS = 1500;

/** The selection copy: works where the Clipboard API is refused, within the click's user activation. */
function copyBySelection(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** The Clipboard API first; where it is refused (no permission, an unfocused document, an insecure origin) or hangs, the selection copy. */
async function copyText(text: string): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CLIPBOARD_API_TIMEOUT_MS);
  });
  // `clipboard` is missing on insecure origins, whatever the DOM types say.
  const clipboard = navigator.clipboard as Clipboard | undefined;
  const written = clipboard?.writeText(text).then(
    () => true,
    () => false,
  );
  const ok = written ? await Promise.race([written, timedOut]) : false;
  clearTimeout(timer);
  return ok || copyBySelection(text);
}

const RESET_AFTER_MS = 2000;

/**
 * A button that copies `text` and says so ("Copied"), or says it could not, leaving the value where
 * the user can select it. Disabled until hydrated, so an early click is never silently lost.
 */
export function CopyButton(props: CopyButtonProps) {
  const hydrated = useHydrated();
  return <CopyButtonControl {...props} disabled={!hydrated} />;
}

interface CopyButtonProps {
  /** The value put on the clipboard. */
  text: string;
  /** The accessible name, e.g. "Copy link to ReadOnly in prod". */
  label: string;
  idleText?: string;
  /** Shown (as the button's title) when copying failed: how to copy by hand. */
  failedHint?: string;
  className?: string;
}

/**
 * The same button without a hydration check of its own, for many of them inside one
 * HydratedFieldset (the portal's 500 tiles): one flag enables them all, none re-renders.
 * With `announce`, "Copied" / "Copy failed" is said by the page's one live region instead of a
 * live region inside each button (one element fewer in each of 500 tiles).
 */
export function CopyButtonControl({
  text,
  label,
  idleText = "Copy",
  failedHint = "Your browser refused the clipboard: select the value and copy it yourself.",
  className,
  disabled,
  announce,
}: CopyButtonProps & { disabled?: boolean; announce?: (message: string) => void }) {
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const shown = state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : idleText;

  return (
    <button
      type="button"
      disabled={disabled}
      aria-label={label}
      title={state === "failed" ? failedHint : undefined}
      onClick={async () => {
        const ok = await copyText(text);
        setState(ok ? "copied" : "failed");
        announce?.(ok ? `Copied ${label.replace(/^Copy /, "")}` : `Copy failed. ${failedHint}`);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setState("idle"), RESET_AFTER_MS);
      }}
      className={
        className ??
        "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-wait"
      }
    >
      {announce ? shown : <span aria-live="polite">{shown}</span>}
    </button>
  );
}
