"use client";

import { startTransition } from "react";

/**
 * onSubmit for a form whose `action` is a useActionState action: submits through the action
 * without React's automatic form reset, which would put controlled radios and selects back to
 * their first-render state while the component's state still holds the user's choice. The
 * `action` attribute stays for browsers without JavaScript.
 */
export function submitWithoutReset(formAction: (formData: FormData) => void) {
  return (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => formAction(formData));
  };
}
