import { describe, expect, it } from "vitest";
import { applyFavouriteOp, MAX_FAVOURITES, orderByFavourites } from "./favourite-order";

describe("applyFavouriteOp", () => {
  const list = ["a", "b", "c"];

  it("star appends once; unstar removes", () => {
    expect(applyFavouriteOp(list, "star", "d")).toEqual(["a", "b", "c", "d"]);
    expect(applyFavouriteOp(list, "star", "b")).toEqual(list);
    expect(applyFavouriteOp(list, "unstar", "b")).toEqual(["a", "c"]);
    expect(applyFavouriteOp(list, "unstar", "x")).toEqual(list);
  });

  it("up and down swap with the neighbour and stop at the ends; top moves first", () => {
    expect(applyFavouriteOp(list, "up", "b")).toEqual(["b", "a", "c"]);
    expect(applyFavouriteOp(list, "down", "b")).toEqual(["a", "c", "b"]);
    expect(applyFavouriteOp(list, "up", "a")).toEqual(list);
    expect(applyFavouriteOp(list, "down", "c")).toEqual(list);
    expect(applyFavouriteOp(list, "down", "x")).toEqual(list);
    expect(applyFavouriteOp(list, "top", "c")).toEqual(["c", "a", "b"]);
  });

  it("move puts the role at an index (a drag and drop), clamped to the list", () => {
    expect(applyFavouriteOp(list, "move", "c", 0)).toEqual(["c", "a", "b"]);
    expect(applyFavouriteOp(list, "move", "a", 1)).toEqual(["b", "a", "c"]);
    expect(applyFavouriteOp(list, "move", "a", 99)).toEqual(["b", "c", "a"]);
    expect(applyFavouriteOp(list, "move", "b", -3)).toEqual(["b", "a", "c"]);
    expect(applyFavouriteOp(list, "move", "x", 0)).toEqual(list);
  });

  it("never returns the list it was given (callers keep theirs) and stops at the maximum", () => {
    expect(applyFavouriteOp(list, "up", "a")).not.toBe(list);
    const full = Array.from({ length: MAX_FAVOURITES }, (_, i) => `r${i}`);
    expect(applyFavouriteOp(full, "star", "one-more")).toHaveLength(MAX_FAVOURITES);
  });
});

describe("orderByFavourites", () => {
  const roles = ["prod/Admin", "prod/ReadOnly", "staging/Dev", "sandbox/Power"].map((roleArn) => ({ roleArn }));

  it("favourites first in the person's order, then the rest in the order given", () => {
    expect(orderByFavourites(roles, ["staging/Dev", "prod/Admin"])).toEqual({
      favourites: [{ roleArn: "staging/Dev" }, { roleArn: "prod/Admin" }],
      others: [{ roleArn: "prod/ReadOnly" }, { roleArn: "sandbox/Power" }],
    });
  });

  it("leaves out favourites the person can no longer open", () => {
    expect(orderByFavourites(roles, ["gone/Role", "sandbox/Power"]).favourites).toEqual([{ roleArn: "sandbox/Power" }]);
    expect(orderByFavourites(roles, []).others).toEqual(roles);
  });
});
