"use client";

// Next.js's own 404 page, unchanged. The root layout passes its not-found, forbidden and
// unauthorized fallbacks (authInterrupts) to every page's router as elements: Next.js's built-in
// defaults are server components, so each page's RSC payload carried their three rendered trees
// (3.4 kB of the portal's 20 kB of HTML) to be serialised, inlined and parsed at every request.
// As client components they are one short reference each.
export { default } from "next/dist/client/components/builtin/not-found";
