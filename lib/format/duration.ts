/**
 * A length of time as a person says it: 900 → "15 min", 3600 → "1 h", 5400 → "1 h 30 min".
 * Rounded to the minute first, so 3599 s reads "1 h" (not "60 min"). The portal's tiles, the
 * admin mapping table and the sentences about session lengths (lib/aws, lib/broker) all use it.
 */
export function formatDuration(seconds: number): string {
  const totalMinutes = Math.round(seconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours && minutes) return `${hours} h ${minutes} min`;
  return hours ? `${hours} h` : `${minutes} min`;
}
