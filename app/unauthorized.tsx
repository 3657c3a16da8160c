// Next.js's own 401 page, as a client component: see components/http-access-pages.tsx.
export { Unauthorized as default } from "@/components/http-access-pages";
