"use client";

/**
 * Next.js's own 404, 403 and 401 pages, unchanged, as client components (app/not-found.tsx,
 * app/forbidden.tsx, app/unauthorized.tsx). The root layout hands all three fallbacks
 * (authInterrupts) to every page's router as elements: Next.js's built-in defaults are server
 * components, so every page's RSC payload carried their three rendered trees (3.4 kB of the
 * portal's 20 kB of HTML), serialised, inlined and parsed again at each request. Client
 * components are a short reference each, in one small chunk shared by the three.
 */
export { default as NotFound } from "next/dist/client/components/builtin/not-found";
export { default as Forbidden } from "next/dist/client/components/builtin/forbidden";
export { default as Unauthorized } from "next/dist/client/components/builtin/unauthorized";
