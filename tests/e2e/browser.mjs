// Starts Debian's Chromium for the end-to-end tests and the benchmarks.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = (process.env.ROUNDTRIP_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

// Without the background-networking flags Chromium keeps dialling out, and
// this machine's closed network refuses it.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser with a new empty profile (`options` go to Playwright). */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'roundtrip-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

/** A fresh browser and its first page. */
export async function openPage(options = {}) {
  const context = await launch(options);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
