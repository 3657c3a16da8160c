export function JetwayLogo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight text-brand-900 ${className}`}>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6 fill-brand-600">
        <path d="M2 16.5 9.5 14V5.5a1.5 1.5 0 0 1 3 0V14l9.5 2.5V19l-9.5-2v3.2l2.5 1.3v1.5L12 22l-3 1v-1.5l2.5-1.3V17L2 19z" />
      </svg>
      Jetway
    </span>
  );
}
