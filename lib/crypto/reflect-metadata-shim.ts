/**
 * @peculiar/x509 registers its classes with tsyringe, which refuses to load unless
 * `Reflect.getMetadata` exists (normally provided by the `reflect-metadata` package, which is
 * not installed). tsyringe only stores and reads back constructor metadata, so a small
 * WeakMap-backed stand-in is enough. Installed only when nothing better is present; replace by
 * `import "reflect-metadata"` if that package is ever added.
 */
type MetadataMap = Map<unknown, unknown>;
type ReflectWithMetadata = typeof Reflect & {
  getMetadata?: (key: unknown, target: object, property?: PropertyKey) => unknown;
  getOwnMetadata?: (key: unknown, target: object, property?: PropertyKey) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: PropertyKey) => void;
};

const reflect = Reflect as ReflectWithMetadata;

if (typeof reflect.getMetadata !== "function") {
  const store = new WeakMap<object, Map<PropertyKey | undefined, MetadataMap>>();
  const own = (target: object, property: PropertyKey | undefined, create: boolean): MetadataMap | undefined => {
    let byProperty = store.get(target);
    if (!byProperty && create) store.set(target, (byProperty = new Map()));
    let map = byProperty?.get(property);
    if (!map && create && byProperty) byProperty.set(property, (map = new Map()));
    return map;
  };
  reflect.defineMetadata = (key, value, target, property) => {
    own(target, property, true)?.set(key, value);
  };
  reflect.getOwnMetadata = (key, target, property) => own(target, property, false)?.get(key);
  reflect.getMetadata = (key, target, property) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const map = own(t, property, false);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
}

export {};
