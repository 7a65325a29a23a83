// One esbuild step for the scripts the Chromium tests load into a page: an IIFE for the browser, with
// `process.env.NODE_ENV` as a Next build would have inlined it (next-auth/react reads it at import).
import { build } from 'esbuild';

/** Bundles `contents` (TypeScript, resolved from `resolveDir`, then `nodePaths`) into one browser script. */
export async function bundleForBrowser(contents: string, resolveDir: string, nodePaths: string[] = []): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'ts' },
    nodePaths,
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
    banner: { js: 'var process = { env: { NODE_ENV: "production" } };' },
  });
  return result.outputFiles[0]!.text;
}
