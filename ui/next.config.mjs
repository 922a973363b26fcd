/** A static export: `npm run build` writes plain files to out/, which `dagy server`
 * serves under /ui/ (`/` redirects there). No Node server at run time, no CDN:
 * everything is bundled. */
const nextConfig = {
  output: "export",
  basePath: "/ui", // the API owns /runs, /flows...: the pages live under /ui/
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
