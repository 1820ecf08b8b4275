/**
 * What the two workflows promise (the schema check itself is `npm run lint:workflows`): CI runs the
 * whole `npm test` on the three OSes with Electron under xvfb on Linux; a tag builds, checksums and
 * drafts the release.
 */
import { validateWorkflow } from '@action-validator/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  needs?: string;
  strategy?: { matrix: { include: { os: string }[] } };
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const read = (name: string) => readFileSync(join(import.meta.dirname, '..', '.github', 'workflows', name), 'utf8');
const load = (name: string) => parse(read(name)) as Workflow;
const oses = (job: Job) => job.strategy!.matrix.include.map((m) => m.os).sort();
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');

describe('ci.yml', () => {
  const ci = load('ci.yml');
  const job = ci.jobs.test!;

  it('runs npm test on push, on Linux, Windows and macOS', () => {
    expect(Object.keys(ci.on)).toContain('push');
    expect(oses(job)).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
  });

  it('downloads Electron and runs the whole suite under xvfb on Linux only', () => {
    expect(runs(job)).toContain('npx install-electron');
    const linux = job.steps!.find((s) => s.run?.includes('xvfb-run'));
    expect(linux).toMatchObject({ if: "runner.os == 'Linux'", run: expect.stringMatching(/xvfb-run .*npm test$/) });
    expect(job.steps!.find((s) => s.run === 'npm test')).toMatchObject({ if: "runner.os != 'Linux'" });
  });
});

describe('release.yml', () => {
  const release = load('release.yml');

  it('runs on version tags and builds on each OS', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(oses(release.jobs.build!)).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(runs(release.jobs.build!)).toMatch(/npx electron-builder \$\{\{ matrix\.platform \}\} --publish never/);
  });

  it("uploads the installers, electron-updater's latest*.yml and a SHA256SUMS to a draft release", () => {
    const upload = release.jobs.build!.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(String(upload.with!.path)).toContain('release/latest*.yml');
    for (const ext of ['exe', 'dmg', 'zip', 'AppImage', 'deb', 'rpm'])
      expect(String(upload.with!.path)).toContain(`release/*.${ext}`);
    const publish = release.jobs.publish!;
    expect(publish.needs).toBe('build');
    expect(runs(publish)).toContain('scripts/release-manifest.ts release');
    expect(runs(publish)).toMatch(/gh release create "\$\{GITHUB_REF_NAME\}" --draft[\s\S]*release\/\*/);
  });
});

describe('the workflow linter', () => {
  it('passes both workflows and rejects a broken one', () => {
    for (const name of ['ci.yml', 'release.yml']) expect(validateWorkflow(read(name)).errors, name).toEqual([]);
    const broken = load('ci.yml');
    delete (broken.jobs.test as Partial<Job>)['runs-on'];
    expect(validateWorkflow(stringify(broken)).errors.length).toBeGreaterThan(0);
  });
});
