const CONTEXT_LINES = 3;

/**
 * A unified diff of two texts, for `jetway configure --dry-run`. Jetway's rewrite changes one
 * contiguous region (its block), so one hunk between the common head and tail is exact enough and
 * applies with `patch`. Empty when nothing changes.
 */
export function unifiedDiff(before: string, after: string, oldName: string, newName: string): string {
  if (before === after) return "";
  const a = toLines(before);
  const b = toLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const start = Math.max(0, head - CONTEXT_LINES);
  const aEnd = Math.min(a.length, a.length - tail + CONTEXT_LINES);
  const bEnd = Math.min(b.length, b.length - tail + CONTEXT_LINES);
  const out = [
    `--- ${oldName}`,
    `+++ ${newName}`,
    `@@ -${range(start, aEnd - start)} +${range(start, bEnd - start)} @@`,
  ];
  for (let i = start; i < head; i++) out.push(` ${a[i]}`);
  for (let i = head; i < a.length - tail; i++) out.push(`-${a[i]}`);
  for (let i = head; i < b.length - tail; i++) out.push(`+${b[i]}`);
  for (let i = a.length - tail; i < aEnd; i++) out.push(` ${a[i]}`);
  return `${out.join("\n")}\n`;
}

/** Lines without their newline; a last line without one is marked as `diff` does. */
function toLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  else lines[lines.length - 1] += "\n\\ No newline at end of file";
  return lines;
}

/** Hunk ranges are 1-based; an empty range names the line before it. */
const range = (start: number, count: number) => (count === 0 ? `${start},0` : `${start + 1},${count}`);
