/** A static export: `npm run build` writes plain files to out/, which `dagy server`
 * serves at `/`. No Node server at run time, no CDN: everything is bundled. */
const nextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
