import { describe, expect, it } from "vitest";

import { can } from "@/lib/useMe";

describe("can", () => {
  it("is true only for a permission the caller's role holds", () => {
    const viewer = { permissions: ["run.read", "deployment.read"] };
    expect(can(viewer, "run.read")).toBe(true);
    expect(can(viewer, "run.trigger")).toBe(false);
  });
  it("is false while /me is not known yet", () => {
    expect(can(undefined, "run.read")).toBe(false);
  });
});
