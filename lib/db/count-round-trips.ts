import { countDbRoundTrip } from "@/lib/http/request-context";

/**
 * Counts the database round-trips made while serving each request (the request log's
 * dbRoundTrips; `npm run bench` reports them per sign-in): every statement Prisma sends through
 * the driver adapter, and the BEGIN each transaction starts with (the adapters send it
 * themselves; COMMIT and ROLLBACK come through as statements). Work outside a request (start-up,
 * the metadata refresh) is not counted.
 */

const COUNTED = new Set<PropertyKey>(["queryRaw", "executeRaw", "executeScript"]);

/** A view of `target` whose statements are counted; its own methods run on the target itself. */
function counting<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (COUNTED.has(prop))
        return (...args: unknown[]) => {
          countDbRoundTrip();
          return method.apply(obj, args);
        };
      if (prop === "startTransaction")
        return async (...args: unknown[]) => {
          countDbRoundTrip();
          return counting((await method.apply(obj, args)) as object);
        };
      if (prop === "connect" || prop === "connectToShadowDb")
        return async (...args: unknown[]) => counting((await method.apply(obj, args)) as object);
      // Adapters keep private fields: their methods must see the adapter, not the proxy, as `this`.
      return method.bind(obj);
    },
  });
}

/** The driver adapter factory (PrismaBetterSqlite3, PrismaPg), counting. */
export function countRoundTrips<F extends object>(factory: F): F {
  return counting(factory);
}
