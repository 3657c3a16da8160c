import { AppError } from "@/lib/errors";
import { consoleHomeUrl, consoleHost, isConsoleUrl, type Partition } from "@/lib/aws/partitions";

function refused(detail: string): AppError {
  return new AppError("console.bad_destination", {
    status: 400,
    message: `deep-link destination refused: ${detail}`,
    userMessage:
      "This link asks to open a page outside the AWS console, which Jetway does not allow. Use a console URL (https://console.aws.amazon.com/…) or a path such as /ec2/home.",
  });
}

/**
 * Where the console session lands: the account's console home by default, a console path
 * ("/ec2/home?region=eu-west-1"), or a full console URL of the account's partition. Anything
 * else is refused: a deep link must never become an open redirect.
 */
export function resolveConsoleDestination(
  destination: string | undefined,
  partition: Partition,
  region?: string | null,
): string {
  if (destination === undefined || destination === "") return consoleHomeUrl(partition, region ?? undefined);
  if (destination.length > 4096) throw refused("longer than 4096 characters");
  if (destination.startsWith("/") && !destination.startsWith("//") && !destination.includes("\\")) {
    const url = `https://${consoleHost(partition)}${destination}`;
    if (!isConsoleUrl(url, partition)) throw refused("not a console path");
    return url;
  }
  if (!isConsoleUrl(destination, partition)) throw refused(`not a console URL of partition ${partition}`);
  return destination;
}
