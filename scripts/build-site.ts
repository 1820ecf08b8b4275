/**
 * `npm run site [-- --manifest FILE --out DIR]`: the download page, as plain static files, from a
 * release manifest (scripts/release-manifest.ts writes one per release; site/release-manifest.sample.json
 * makes it work offline). One page per language (es at the root, pt/ and en/), each complete without
 * JavaScript; site/site.js only picks the visitor's installer and puts it first.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ManifestSchema, type Artifact, type Manifest } from './release-manifest';
import { LANGS, STRINGS, type Lang, type SiteStrings } from './site-strings';

const root = join(import.meta.dirname, '..');

/** What the page offers first on each OS; site.js uses the same table. */
export const PRIMARY_KIND = { windows: 'nsis', macos: 'dmg', linux: 'appimage' } as const;
const OS_ORDER = ['windows', 'macos', 'linux'] as const;
const KIND_ORDER = ['nsis', 'portable', 'dmg', 'zip', 'appimage', 'deb', 'rpm'] as const;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside <script type="application/json">: nothing in it may close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function formatSize(bytes: number, lang: Lang): string {
  return `${new Intl.NumberFormat(STRINGS[lang].htmlLang, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
}

function archLabel(t: SiteStrings, a: Pick<Artifact, 'os' | 'arch'>): string {
  return a.os === 'macos' ? t.macArch[a.arch] : t.arch[a.arch];
}

function sorted(artifacts: Artifact[]): Artifact[] {
  const rank = (a: Artifact) => OS_ORDER.indexOf(a.os) * 100 + KIND_ORDER.indexOf(a.kind) * 10 + (a.arch === 'arm64' ? 1 : 0);
  return [...artifacts].sort((a, b) => rank(a) - rank(b));
}

/** The page's own path to the site root, and each language's page. */
const pagePath = (lang: Lang) => (lang === 'es' ? 'index.html' : `${lang}/index.html`);
const toRoot = (lang: Lang) => (lang === 'es' ? '' : '../');

export function renderPage(manifest: Manifest, lang: Lang): string {
  const t = STRINGS[lang];
  const up = toRoot(lang);
  const artifacts = sorted(manifest.artifacts);
  const fallback = artifacts.find((a) => a.os === 'windows' && a.kind === PRIMARY_KIND.windows) ?? artifacts[0]!;
  const data = {
    primaryKind: PRIMARY_KIND,
    detected: Object.fromEntries(OS_ORDER.map((os) => [os, t.detected(t.os[os])])),
    unsupported: t.unsupported,
    artifacts: artifacts.map((a) => ({
      file: a.file,
      url: a.url,
      os: a.os,
      arch: a.arch,
      kind: a.kind,
      sha256: a.sha256,
      size: formatSize(a.size, lang),
      primaryLabel: t.primaryFor(t.os[a.os], archLabel(t, a)),
      alternativeLabel: t.alsoFor(archLabel(t, a)),
    })),
  };
  const languageLinks = LANGS.map((l) => {
    const current = l === lang ? ' aria-current="page"' : '';
    return `<li><a href="${up}${pagePath(l)}" hreflang="${STRINGS[l].htmlLang}" lang="${STRINGS[l].htmlLang}"${current}>${escapeHtml(STRINGS[l].langName)}</a></li>`;
  }).join('');
  const alternates = LANGS.map((l) => `<link rel="alternate" hreflang="${STRINGS[l].htmlLang}" href="${up}${pagePath(l)}">`).join(
    '\n    ',
  );
  const rows = artifacts
    .map(
      (a) => `<tr data-file="${escapeHtml(a.file)}" data-os="${a.os}" data-arch="${a.arch}" data-kind="${a.kind}">
            <th scope="row">${escapeHtml(t.os[a.os])}</th>
            <td><a href="${escapeHtml(a.url)}" download>${escapeHtml(t.kind[a.kind])}</a><br><span class="file">${escapeHtml(a.file)}</span></td>
            <td>${escapeHtml(archLabel(t, a))}</td>
            <td class="size">${formatSize(a.size, lang)}</td>
            <td><code class="sha">${a.sha256}</code></td>
          </tr>`,
    )
    .join('\n          ');
  const notes = OS_ORDER.map(
    (os) => `<details id="notes-${os}" data-os="${os}">
          <summary>${escapeHtml(t.notes[os].title)}</summary>
          <ol>${t.notes[os].steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>
        </details>`,
  ).join('\n        ');
  const anyOf = (os: Artifact['os']) => artifacts.find((a) => a.os === os)?.file ?? 'Caja';

  return `<!doctype html>
<html lang="${t.htmlLang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(t.heading(manifest.version))}</title>
    <meta name="description" content="${escapeHtml(t.description)}">
    ${alternates}
    <link rel="icon" href="${up}icon.png">
    <link rel="stylesheet" href="${up}site.css">
    <script src="${up}site.js" defer></script>
  </head>
  <body>
    <a class="skip" href="#primary">${escapeHtml(t.skip)}</a>
    <header>
      <img src="${up}icon.png" alt="" width="56" height="56">
      <div>
        <p class="brand">Caja</p>
        <p class="tagline">${escapeHtml(t.tagline)}</p>
      </div>
      <nav aria-label="${escapeHtml(t.languages)}"><ul>${languageLinks}</ul></nav>
    </header>
    <main>
      <h1>${escapeHtml(t.heading(manifest.version))}</h1>
      <p class="published">${escapeHtml(t.published(manifest.date))}</p>
      ${manifest.sample ? `<p class="sample" role="note">${escapeHtml(t.sampleNotice)}</p>` : ''}
      <section id="primary" aria-labelledby="primary-heading" tabindex="-1">
        <h2 id="primary-heading">${escapeHtml(t.primaryHeading)}</h2>
        <p id="detected" aria-live="polite"></p>
        <p><a id="primary-download" class="button" href="${escapeHtml(fallback.url)}" download data-file="${escapeHtml(fallback.file)}">${escapeHtml(data.artifacts.find((a) => a.file === fallback.file)!.primaryLabel)}</a></p>
        <dl id="primary-details">
          <div><dt>${escapeHtml(t.version)}</dt><dd>${escapeHtml(manifest.version)}</dd></div>
          <div><dt>${escapeHtml(t.file)}</dt><dd data-field="file">${escapeHtml(fallback.file)}</dd></div>
          <div><dt>${escapeHtml(t.size)}</dt><dd data-field="size">${formatSize(fallback.size, lang)}</dd></div>
          <div><dt>${escapeHtml(t.sha256)}</dt><dd><code data-field="sha256">${fallback.sha256}</code></dd></div>
        </dl>
        <p id="alternative" hidden><a id="alternative-download" href="#" download></a></p>
      </section>
      <section aria-labelledby="all-heading">
        <h2 id="all-heading">${escapeHtml(t.allDownloads)}</h2>
        <div class="table-wrap">
        <table id="downloads">
          <thead><tr><th scope="col">${escapeHtml(t.system)}</th><th scope="col">${escapeHtml(t.package)}</th><th scope="col">${escapeHtml(t.architecture)}</th><th scope="col">${escapeHtml(t.size)}</th><th scope="col">${escapeHtml(t.sha256)}</th></tr></thead>
          <tbody>
          ${rows}
          </tbody>
        </table>
        </div>
      </section>
      <section aria-labelledby="verify-heading">
        <h2 id="verify-heading">${escapeHtml(t.verifyHeading)}</h2>
        <p>${escapeHtml(t.verifyText)}</p>
        <pre><code>Windows:  certutil -hashfile ${escapeHtml(anyOf('windows'))} SHA256
macOS:    shasum -a 256 ${escapeHtml(anyOf('macos'))}
Linux:    sha256sum -c SHA256SUMS --ignore-missing</code></pre>
        <p><a id="checksums" href="${escapeHtml(manifest.checksumsUrl)}">${escapeHtml(t.checksumsLink)}</a></p>
      </section>
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">${escapeHtml(t.notesHeading)}</h2>
        ${notes}
      </section>
    </main>
    <footer><p>Caja ${escapeHtml(manifest.version)}</p></footer>
    <script type="application/json" id="release-data">${scriptJson(data)}</script>
  </body>
</html>
`;
}

export function buildSite(manifestFile: string, outDir: string): Manifest {
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(manifestFile, 'utf8')));
  rmSync(outDir, { recursive: true, force: true });
  for (const lang of LANGS) {
    mkdirSync(join(outDir, lang === 'es' ? '' : lang), { recursive: true });
    writeFileSync(join(outDir, pagePath(lang)), renderPage(manifest, lang));
  }
  copyFileSync(join(root, 'site', 'site.css'), join(outDir, 'site.css'));
  copyFileSync(join(root, 'site', 'site.js'), join(outDir, 'site.js'));
  copyFileSync(join(root, 'assets', 'icons', '128x128.png'), join(outDir, 'icon.png'));
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { manifest: { type: 'string' }, out: { type: 'string' } } });
  const manifestFile = values.manifest ?? join(root, 'site', 'release-manifest.sample.json');
  const outDir = values.out ?? join(root, 'dist', 'site');
  const manifest = buildSite(manifestFile, outDir);
  console.log(
    `download page for Caja ${manifest.version} (${manifest.artifacts.length} files${manifest.sample ? ', sample data' : ''}) in ${outDir}`,
  );
}
