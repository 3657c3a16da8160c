// Next.js's own 403 page, as a client component: see components/http-access-pages.tsx.
export { Forbidden as default } from "@/components/http-access-pages";
