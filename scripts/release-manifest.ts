/**
 * After the installers are built: `tsx scripts/release-manifest.ts release --base-url URL --out FILE`
 * writes `SHA256SUMS` into the folder (every file in it, for `sha256sum -c`) and the download page's
 * manifest (version, and for each installer its OS, arch, kind, size, SHA-256 and URL).
 * release.yml runs it on the files it uploads; `npm run site` turns the manifest into the page.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const OsSchema = z.enum(['windows', 'macos', 'linux']);
export const ArchSchema = z.enum(['x64', 'arm64']);
/** nsis: the Windows installer; portable: the .exe that runs without installing; zip: macOS's update payload. */
export const KindSchema = z.enum(['nsis', 'portable', 'dmg', 'zip', 'appimage', 'deb', 'rpm']);

export const ArtifactSchema = z.object({
  file: z.string().min(1),
  url: z.string().url(),
  os: OsSchema,
  arch: ArchSchema,
  kind: KindSchema,
  size: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Artifact = z.infer<typeof ArtifactSchema>;

export const ManifestSchema = z.object({
  product: z.string(),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The SHA256SUMS file of the release, for people who verify everything at once. */
  checksumsUrl: z.string().url(),
  /** True for the committed sample: the page then says the files are not real. */
  sample: z.boolean().default(false),
  artifacts: z.array(ArtifactSchema).min(1),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const ARCH: Record<string, z.infer<typeof ArchSchema>> = {
  x64: 'x64',
  x86_64: 'x64',
  amd64: 'x64',
  arm64: 'arm64',
  aarch64: 'arm64',
};
const KIND_BY_EXT: Record<string, z.infer<typeof KindSchema>> = {
  dmg: 'dmg',
  zip: 'zip',
  AppImage: 'appimage',
  deb: 'deb',
  rpm: 'rpm',
};

/**
 * Reads what electron-builder.yml's artifactName patterns produce, e.g. Caja-1.2.3-windows-x64-setup.exe,
 * Caja-1.2.3-macos-arm64.dmg, Caja-1.2.3-linux-amd64.deb. Anything else (blockmaps, latest*.yml) is null.
 */
export function describeArtifact(
  file: string,
): { version: string; os: Artifact['os']; arch: Artifact['arch']; kind: Artifact['kind'] } | null {
  const m =
    /^Caja-(\d+\.\d+\.\d+(?:-[\w.]+)?)-(windows|macos|linux)-([a-z0-9_]+)(?:-(setup|portable))?\.(exe|dmg|zip|AppImage|deb|rpm)$/.exec(
      file,
    );
  if (!m) return null;
  const [, version, os, rawArch, variant, ext] = m as unknown as [
    string,
    string,
    Artifact['os'],
    string,
    string | undefined,
    string,
  ];
  const arch = ARCH[rawArch];
  if (!arch) return null;
  const kind = ext === 'exe' ? (variant === 'portable' ? 'portable' : variant === 'setup' ? 'nsis' : null) : KIND_BY_EXT[ext];
  if (!kind || (ext === 'exe') !== (os === 'windows')) return null;
  return { version, os, arch, kind };
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function buildManifest(
  dir: string,
  baseUrl: string,
  date = new Date().toISOString().slice(0, 10),
): { manifest: Manifest; sums: string } {
  const files = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile() && f !== 'SHA256SUMS' && f !== 'manifest.json')
    .sort();
  const hashes = new Map(files.map((f) => [f, sha256(join(dir, f))]));
  const artifacts: Artifact[] = [];
  const versions = new Set<string>();
  for (const file of files) {
    const described = describeArtifact(file);
    if (!described) continue;
    const { version, ...rest } = described;
    versions.add(version);
    artifacts.push({
      file,
      url: `${baseUrl.replace(/\/$/, '')}/${encodeURIComponent(file)}`,
      ...rest,
      size: statSync(join(dir, file)).size,
      sha256: hashes.get(file)!,
    });
  }
  if (versions.size !== 1)
    throw new Error(`Expected installers of one version in ${dir}, found: ${[...versions].join(', ') || 'none'}`);
  const manifest = ManifestSchema.parse({
    product: 'Caja',
    version: [...versions][0],
    date,
    checksumsUrl: `${baseUrl.replace(/\/$/, '')}/SHA256SUMS`,
    artifacts,
  });
  // Two spaces: the format `sha256sum -c` and `shasum -a 256 -c` read.
  const sums = files.map((f) => `${hashes.get(f)}  ${f}\n`).join('');
  return { manifest, sums };
}

if (process.argv[1] === import.meta.filename) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'base-url': { type: 'string' }, out: { type: 'string' } },
  });
  const dir = positionals[0];
  if (!dir || !values['base-url']) {
    console.error('usage: tsx scripts/release-manifest.ts DIR --base-url URL [--out manifest.json]');
    process.exit(2);
  }
  const { manifest, sums } = buildManifest(dir, values['base-url']);
  writeFileSync(join(dir, 'SHA256SUMS'), sums);
  writeFileSync(values.out ?? join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`Caja ${manifest.version}: ${manifest.artifacts.length} installers, SHA256SUMS and manifest written`);
}
