/** The split of a contact text into plain parts and links (an email address or an https URL). */
const LINKABLE = /([^\s()<>,;]+@[^\s()<>,;]+\.[a-z]{2,}|https:\/\/[^\s()<>]+[^\s()<>.,;:!?])/gi;

/**
 * Whom to ask, as the config's portal.adminContact says ("the cloud team (cloud@corp.example)"),
 * with an email address or https URL in it as a link; "your administrator" when it is not set.
 */
export function AdminContact({ contact }: { contact: string | null }) {
  if (!contact) return <>your administrator</>;
  return (
    <span data-testid="admin-contact">
      {contact.split(LINKABLE).map((part, i) => {
        if (i % 2 === 0) return part;
        const href = part.includes("@") && !part.startsWith("https://") ? `mailto:${part}` : part;
        return (
          <a key={i} href={href} className="font-semibold underline">
            {part}
          </a>
        );
      })}
    </span>
  );
}
