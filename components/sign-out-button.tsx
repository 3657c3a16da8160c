/**
 * Sign-out is a plain form POST (works before hydration and without JavaScript): the route revokes
 * the session record on every replica and drops the cookie (app/api/auth/signout). `everywhere`
 * also ends the person's other browsers and command-line sign-ins.
 */
export function SignOutButton({ everywhere = false }: { everywhere?: boolean }) {
  return (
    <form method="post" action="/api/auth/signout">
      {everywhere && <input type="hidden" name="scope" value="everywhere" />}
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        {everywhere ? "Sign out everywhere" : "Sign out"}
      </button>
    </form>
  );
}
