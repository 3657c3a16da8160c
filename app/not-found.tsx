// Next.js's own 404 page, as a client component: see components/http-access-pages.tsx.
export { NotFound as default } from "@/components/http-access-pages";
