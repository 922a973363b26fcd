import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

/** Unit tests of the UI's logic (no browser): `npm test`. */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  esbuild: { jsx: "automatic" }, // tsconfig says "preserve" for Next; tests need React's
  test: { include: ["test/**/*.test.{ts,tsx}"], environment: "node" },
});
