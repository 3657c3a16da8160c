/**
 * Sign-out is a plain form POST (works before hydration and without JavaScript): the route revokes
 * the session record on every replica and drops the cookie (app/api/auth/signout).
 */
export function SignOutButton() {
  return (
    <form method="post" action="/api/auth/signout">
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        Sign out
      </button>
    </form>
  );
}
