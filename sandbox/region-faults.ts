import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { regionRegex } from "./aws-partitions";

/**
 * A region of the sandbox told to fail, for failover tests: every request to that region's
 * endpoints (a `/<region>/…` path, or a `sts.<region>.amazonaws.com` / `<region>.signin.aws.amazon.com`
 * Host) fails the chosen way until told otherwise. The sandbox's plain endpoint (no region named)
 * and its `/_sandbox/…` control paths never fail.
 *
 * - refuse: the connection is closed as soon as the request arrives, without an answer. One port
 *   serves every region, so a refused TCP connection is not possible per region; a reset is what
 *   a client sees of a dead endpoint behind a load balancer, and the SDK treats both alike.
 * - hang: no answer at all, until the client gives up (or the mode changes, which closes them).
 * - 503: ServiceUnavailable, as AWS's "Common Errors" describe it (STS's XML error; plain text on
 *   the federation endpoint).
 *
 * `service` narrows the fault to the region's STS or its sign-in (federation) endpoint; by default
 * both fail.
 */
export const REGION_FAULT_MODES = ["refuse", "hang", "503"] as const;
export type RegionFaultMode = (typeof REGION_FAULT_MODES)[number];

export const FAULT_SERVICES = ["sts", "signin"] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

/** POST /_sandbox/regions/{region}/fault's body: a mode, or "none" to heal the region. */
export const regionFaultBodySchema = z.strictObject({
  mode: z.enum([...REGION_FAULT_MODES, "none"]),
  service: z.enum(FAULT_SERVICES).optional(),
});

export interface RegionFault {
  mode: RegionFaultMode;
  /** Only this service of the region fails; both when absent. */
  service?: FaultService;
}

export class RegionFaults {
  private readonly faults = new Map<string, RegionFault>();
  /** Requests left hanging, per region, so that healing the region (or closing) ends them. */
  private readonly hung = new Map<string, Set<ServerResponse>>();

  set(region: string, mode: RegionFaultMode | "none", service?: FaultService): void {
    if (!regionRegex.test(region)) throw new Error(`${region} is not a region name`);
    if (mode === "none") this.faults.delete(region);
    else this.faults.set(region, service ? { mode, service } : { mode });
    // Whatever hung under the previous mode is let go (closed without an answer).
    for (const res of this.hung.get(region) ?? []) res.destroy();
    this.hung.delete(region);
  }

  /** How a request to `service` in `region` fails now, if it does. */
  modeOf(region: string | undefined, service: FaultService): RegionFaultMode | undefined {
    const fault = region === undefined ? undefined : this.faults.get(region);
    return fault && (fault.service === undefined || fault.service === service) ? fault.mode : undefined;
  }

  /** GET /_sandbox/regions: the regions failing now and how. */
  list(): Record<string, RegionFault> {
    return Object.fromEntries(this.faults);
  }

  /** Applies `mode` to a request of `region` (the 503 body is the caller's: it knows the service). */
  hang(region: string, req: IncomingMessage, res: ServerResponse): void {
    const set = this.hung.get(region) ?? new Set<ServerResponse>();
    this.hung.set(region, set);
    set.add(res);
    // Read and drop the body, so the client's write completes and it waits for an answer.
    req.resume();
    res.once("close", () => set.delete(res));
  }

  refuse(req: IncomingMessage): void {
    req.socket.destroy();
  }
}
