"use client";

// Next.js's own 403 page, unchanged. The root layout passes its forbidden fallback to every page's
// router as an element; as a client component it is a short reference in each page's RSC
// payload, not the rendered tree Next's built-in default would put there (see not-found.tsx).
export { default } from "next/dist/client/components/builtin/forbidden";
