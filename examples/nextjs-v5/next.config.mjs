// Next.js configuration: nothing auth-specific is needed.
/** @type {import('next').NextConfig} */
const nextConfig = {
  // This folder is the app's root even though the repository around it has its own lockfile.
  turbopack: { root: import.meta.dirname },
};

export default nextConfig;
