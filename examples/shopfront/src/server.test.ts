import { describe, expect, it } from "vitest";
import { config } from "./config.js";

describe("config", () => {
  it("defaults the port", () => {
    expect(config.port).toBeGreaterThan(0);
  });
});
