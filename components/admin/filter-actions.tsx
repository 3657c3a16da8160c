import Link from "next/link";
import { buttonClass, secondaryButtonClass } from "./form-field";

/** The end of an admin list's filter form: Filter, and Clear (back to `clearHref`) while filters are set. */
export function FilterActions({ clearHref, filtered }: { clearHref: string; filtered: boolean }) {
  return (
    <div className="flex items-end gap-2">
      <button type="submit" className={buttonClass}>
        Filter
      </button>
      {filtered && (
        <Link href={clearHref} className={secondaryButtonClass}>
          Clear
        </Link>
      )}
    </div>
  );
}
