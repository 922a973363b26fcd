import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

/** Unit tests of the UI's logic (no browser): `npm test`. */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
